package org.fieldwork.io;

import java.util.Map;
import java.util.TreeMap;

/**
 * The one place s3a settings are made: from command-line values, else the environment
 * (FIELDWORK_S3_ENDPOINT, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY). Without an endpoint and keys
 * nothing is set and Hadoop's default AWS credential chain applies (instance roles, ~/.aws).
 */
public final class S3Settings {
    private S3Settings() {
    }

    public static Map<String, String> hadoopSettings(String endpoint, String accessKey, String secretKey, Boolean pathStyle) {
        Map<String, String> env = System.getenv();
        String ep = firstNonBlank(endpoint, env.get("FIELDWORK_S3_ENDPOINT"));
        String ak = firstNonBlank(accessKey, env.get("AWS_ACCESS_KEY_ID"));
        String sk = firstNonBlank(secretKey, env.get("AWS_SECRET_ACCESS_KEY"));
        TreeMap<String, String> s = new TreeMap<>();
        if (ep != null) {
            s.put("fs.s3a.endpoint", ep);
            // Self-hosted servers (MinIO, S3Proxy, Ceph) rarely do virtual-host buckets.
            s.put("fs.s3a.path.style.access", String.valueOf(pathStyle == null || pathStyle));
            if (ep.startsWith("http://")) {
                s.put("fs.s3a.connection.ssl.enabled", "false");
            }
        } else if (pathStyle != null) {
            s.put("fs.s3a.path.style.access", String.valueOf(pathStyle));
        }
        if (ak != null && sk != null) {
            s.put("fs.s3a.access.key", ak);
            s.put("fs.s3a.secret.key", sk);
            s.put("fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
        }
        return s;
    }

    private static String firstNonBlank(String a, String b) {
        if (a != null && !a.isBlank()) {
            return a;
        }
        return b != null && !b.isBlank() ? b : null;
    }
}
