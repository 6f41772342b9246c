import type { S3Client } from "@aws-sdk/client-s3";

/**
 * Removes the Terraform state bucket: a versioned bucket can be deleted only once every object
 * version and delete marker is gone (S3 DeleteBucket docs: "all objects (including all object
 * versions and delete markers) in the bucket must be deleted"). Returns how many versions went.
 * A bucket already gone counts as done.
 */
export async function removeStateBucket(s3: S3Client, bucket: string): Promise<number> {
  const sdk = await import("@aws-sdk/client-s3");
  let removed = 0;
  try {
    // ListObjectVersions has no paginator in the SDK: follow the key and version markers.
    let keyMarker: string | undefined;
    let versionMarker: string | undefined;
    for (;;) {
      const page = await s3.send(
        new sdk.ListObjectVersionsCommand({
          Bucket: bucket,
          KeyMarker: keyMarker,
          VersionIdMarker: versionMarker,
        }),
      );
      const keys = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])].map((v) => ({
        Key: v.Key ?? "",
        VersionId: v.VersionId,
      }));
      if (keys.length > 0) {
        await s3.send(
          new sdk.DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys, Quiet: true } }),
        );
        removed += keys.length;
      }
      if (!page.IsTruncated) break;
      keyMarker = page.NextKeyMarker;
      versionMarker = page.NextVersionIdMarker;
    }
    await s3.send(new sdk.DeleteBucketCommand({ Bucket: bucket }));
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name !== "NoSuchBucket" && name !== "NotFound") throw error;
  }
  return removed;
}
