/** `[pod] line`, the pod name in one of six colours on a terminal, the same colour for the same pod. */
const COLOURS = [36, 35, 33, 32, 34, 91];

export function createPrefixer(colour: boolean): (pod: string, line: string) => string {
  const assigned = new Map<string, number>();
  return (pod, line) => {
    if (!colour) return `[${pod}] ${line}`;
    let code = assigned.get(pod);
    if (code === undefined) {
      code = COLOURS[assigned.size % COLOURS.length] ?? 36;
      assigned.set(pod, code);
    }
    return `\u001b[${code}m[${pod}]\u001b[39m ${line}`;
  };
}
