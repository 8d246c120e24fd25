package io.github.mcppolicyproxy.aws.differential;

import java.util.Map;
import java.util.Set;

/**
 * S3 API calls that the high-level {@code aws s3} commands make on the way and that IAM authorizes
 * with the action of another operation (Service Authorization Reference: HeadObject needs
 * s3:GetObject, the multipart calls need s3:PutObject, ListObjects and HeadBucket need
 * s3:ListBucket like ListObjectsV2). When the proxy names that other operation the call is counted
 * as covered and reported as {@code iam-equivalent-name}, not as a bypass; run with
 * {@code -Ddifferential.strictNames=true} to count them as bypasses.
 */
final class IamEquivalents {

  private static final Map<String, Set<String>> AUTHORIZED_BY = Map.of(
      "HeadObject", Set.of("GetObject"),
      "HeadBucket", Set.of("ListObjectsV2", "ListObjects"),
      "ListObjects", Set.of("ListObjectsV2"),
      "ListObjectsV2", Set.of("ListObjects"),
      "CreateMultipartUpload", Set.of("PutObject"),
      "UploadPart", Set.of("PutObject"),
      "CompleteMultipartUpload", Set.of("PutObject"),
      "AbortMultipartUpload", Set.of("PutObject"),
      "UploadPartCopy", Set.of("CopyObject"));

  private IamEquivalents() {
  }

  /** Whether {@code proxyOperation} ({@code s3:GetObject}) authorizes the s3 call {@code operation}. */
  static boolean covers(String proxyOperation, String service, String operation) {
    if (Boolean.getBoolean("differential.strictNames") || !service.equals("s3")
        || !proxyOperation.startsWith("s3:")) {
      return false;
    }
    return AUTHORIZED_BY.getOrDefault(operation, Set.of()).contains(proxyOperation.substring(3));
  }
}
