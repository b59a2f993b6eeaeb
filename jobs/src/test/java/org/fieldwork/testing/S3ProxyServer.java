package org.fieldwork.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import com.amazonaws.auth.AWSStaticCredentialsProvider;
import com.amazonaws.auth.BasicAWSCredentials;
import com.amazonaws.client.builder.AwsClientBuilder;
import com.amazonaws.services.s3.AmazonS3;
import com.amazonaws.services.s3.AmazonS3ClientBuilder;
import com.amazonaws.services.s3.model.ListObjectsV2Request;
import com.amazonaws.services.s3.model.ListObjectsV2Result;
import com.amazonaws.services.s3.model.S3ObjectSummary;

/**
 * A real S3 server on loopback for tests: S3Proxy with the jclouds in-memory (transient)
 * blobstore, started once per test JVM in a JVM of its own (its Jetty, Guava and Jackson
 * versions clash with Spark's), destroyed when the test JVM exits.
 *
 * <pre>{@code
 * @ExtendWith(S3ProxyServer.class)
 * class MyJobTest {
 *     @Test
 *     void readsFromS3(S3ProxyServer s3) {
 *         String input = s3.upload(localFile, S3ProxyServer.DEFAULT_BUCKET, "in/a.sgy");  // s3a://...
 *         SparkSession.builder().master("local[2]").config(s3.sparkSettings()) ...
 *     }
 * }
 * }</pre>
 *
 * Outside JUnit, {@link #shared()} gives the same server. Every instance talks to the one server of
 * this JVM, which is why JUnit may create as many as it likes.
 */
public final class S3ProxyServer implements BeforeAllCallback, ParameterResolver {
    public static final String ACCESS_KEY = "fieldwork-test-access";
    public static final String SECRET_KEY = "fieldwork-test-secret-6c4f0b2a";
    /** Created at start-up; tests that need isolation make their own with {@link #createBucket}. */
    public static final String DEFAULT_BUCKET = "fieldwork-test";
    /** S3 signatures carry a region; S3Proxy accepts any, the SDK needs one to sign with V4. */
    public static final String REGION = "us-east-1";

    private static final Duration START_LIMIT = Duration.ofSeconds(60);
    private static Running running;

    /** Used by JUnit for {@code @ExtendWith}; tests get the running server by parameter injection. */
    public S3ProxyServer() {
    }

    /** The server of this JVM, started on first use. */
    public static S3ProxyServer shared() {
        running();
        return new S3ProxyServer();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        running();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == S3ProxyServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return shared();
    }

    public int port() {
        return running().port;
    }

    /** {@code http://127.0.0.1:PORT} */
    public String endpoint() {
        return "http://" + Loopback.HOST + ":" + port();
    }

    public String accessKey() {
        return ACCESS_KEY;
    }

    public String secretKey() {
        return SECRET_KEY;
    }

    /**
     * Hadoop settings that point {@code s3a://} at this server: give them to a Hadoop
     * Configuration, to {@code org.fieldwork.io.Storage.of(...)}, or see {@link #sparkSettings()}.
     */
    public Map<String, String> s3aSettings() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("fs.s3a.endpoint", endpoint());
        s.put("fs.s3a.endpoint.region", REGION);
        s.put("fs.s3a.path.style.access", "true");
        s.put("fs.s3a.connection.ssl.enabled", "false");
        s.put("fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
        s.put("fs.s3a.access.key", ACCESS_KEY);
        s.put("fs.s3a.secret.key", SECRET_KEY);
        // Signature V4 explicitly: what real S3 requires, and what S3Proxy is configured to accept.
        s.put("fs.s3a.signing-algorithm", "AWSS3V4SignerType");
        // A loopback server that does not answer is a broken test, not a network glitch: fail in
        // seconds instead of Hadoop's default minutes of retries.
        s.put("fs.s3a.attempts.maximum", "2");
        s.put("fs.s3a.retry.limit", "2");
        s.put("fs.s3a.retry.interval", "100ms");
        s.put("fs.s3a.connection.establish.timeout", "5000");
        s.put("fs.s3a.connection.timeout", "30000");
        // S3Proxy 2.6.0 deadlocked on s3a's concurrent multi-object DELETEs (sent after every
        // rename) in our runs; single-object deletes are slower but only test-sized.
        s.put("fs.s3a.multiobjectdelete.enable", "false");
        return s;
    }

    /** {@link #s3aSettings()} as {@code spark.hadoop.*} keys, for a SparkSession builder or spark-submit --conf. */
    public Map<String, String> sparkSettings() {
        Map<String, String> s = new LinkedHashMap<>();
        s3aSettings().forEach((k, v) -> s.put("spark.hadoop." + k, v));
        return s;
    }

    /** A local[2] session for a test class whose jobs read and write this server through s3a. */
    public org.apache.spark.sql.SparkSession localSpark(String appName) {
        org.apache.spark.sql.SparkSession.Builder b = org.apache.spark.sql.SparkSession.builder().master("local[2]")
                .appName(appName).config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2");
        sparkSettings().forEach(b::config);
        return b.getOrCreate();
    }

    /** {@code s3a://bucket/key} */
    public static String s3aUri(String bucket, String key) {
        return "s3a://" + bucket + "/" + key;
    }

    /** Creates the bucket unless it exists. */
    public void createBucket(String bucket) {
        AmazonS3 s3 = running().client;
        if (!s3.doesBucketExistV2(bucket)) {
            s3.createBucket(bucket);
        }
    }

    /**
     * Deletes every object of the bucket and the bucket itself. The store is in S3Proxy's memory
     * and shared by all test classes of this JVM, so a test that writes a lot frees it here.
     */
    public void deleteBucket(String bucket) {
        AmazonS3 s3 = running().client;
        if (s3.doesBucketExistV2(bucket)) {
            list(bucket, "").forEach(key -> s3.deleteObject(bucket, key));
            s3.deleteBucket(bucket);
        }
    }

    /** Uploads one local file as an object; returns its s3a URI. */
    public String upload(Path localFile, String bucket, String key) {
        running().client.putObject(bucket, key, localFile.toFile());
        return s3aUri(bucket, key);
    }

    /** Uploads every regular file under a local folder below {@code prefix}; returns the s3a URI of the prefix. */
    public String uploadTree(Path localDir, String bucket, String prefix) {
        String base = prefix.endsWith("/") ? prefix : prefix + "/";
        try (Stream<Path> files = Files.walk(localDir)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                upload(f, bucket, base + localDir.relativize(f).toString().replace('\\', '/'));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return s3aUri(bucket, base);
    }

    /** The bytes of an object. */
    public byte[] read(String bucket, String key) {
        try (var in = running().client.getObject(bucket, key).getObjectContent()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Keys under a prefix, sorted; for asserting what a job wrote. */
    public List<String> list(String bucket, String prefix) {
        List<String> keys = new ArrayList<>();
        ListObjectsV2Request req = new ListObjectsV2Request().withBucketName(bucket).withPrefix(prefix);
        ListObjectsV2Result page;
        do {
            page = running().client.listObjectsV2(req);
            page.getObjectSummaries().stream().map(S3ObjectSummary::getKey).forEach(keys::add);
            req.setContinuationToken(page.getNextContinuationToken());
        } while (page.isTruncated());
        keys.sort(Comparator.naturalOrder());
        return keys;
    }

    private static synchronized Running running() {
        if (running == null || !running.jvm.isAlive()) {
            running = startWithRetry();
        }
        return running;
    }

    /** A port can be taken between choosing and binding it; one retry on a fresh port covers that. */
    private static Running startWithRetry() {
        try {
            return Running.start();
        } catch (IllegalStateException first) {
            try {
                return Running.start();
            } catch (IllegalStateException second) {
                second.addSuppressed(first);
                throw second;
            }
        }
    }

    private static final class Running {
        final int port;
        final ChildJvm jvm;
        final AmazonS3 client;

        private Running(int port, ChildJvm jvm, AmazonS3 client) {
            this.port = port;
            this.jvm = jvm;
            this.client = client;
        }

        static Running start() {
            List<String> classpath = s3ProxyClasspath();
            int port = Loopback.freePort();
            try {
                Path work = Files.createTempDirectory("fieldwork-s3proxy-");
                Path properties = work.resolve("s3proxy.properties");
                Files.writeString(properties, String.join("\n",
                        "s3proxy.endpoint=http://" + Loopback.HOST + ":" + port,
                        "s3proxy.authorization=aws-v4",
                        "s3proxy.identity=" + ACCESS_KEY,
                        "s3proxy.credential=" + SECRET_KEY,
                        // In-memory store: keys are plain strings as in S3. The folder-backed stores
                        // map "a/" markers to directories and fail s3a's renames ("filesystem":
                        // Unable to mkdir; "filesystem-nio2": rename returns false).
                        "jclouds.provider=transient",
                        ""), StandardCharsets.UTF_8);
                // S3Proxy ships no logback.xml, so logback's default would log every Jetty event at DEBUG.
                Path logback = work.resolve("logback.xml");
                Files.writeString(logback, """
                        <configuration>
                          <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                            <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{36} - %msg%n</pattern></encoder>
                          </appender>
                          <root level="INFO"><appender-ref ref="OUT"/></root>
                        </configuration>
                        """, StandardCharsets.UTF_8);
                ChildJvm jvm = ChildJvm.builder("s3proxy-" + port, "org.gaul.s3proxy.Main")
                        .classpath(classpath)
                        // Quick to start; the heap holds every object, tests keep them small.
                        .jvmOptions("-Xmx768m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                                "-Dlogback.configurationFile=" + logback)
                        .args("--properties", properties.toString())
                        .logDir(Path.of("target", "s3proxy").toAbsolutePath())
                        .workDir(work)
                        .start();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(work), "fieldwork-s3proxy-cleanup"));
                AmazonS3 client = AmazonS3ClientBuilder.standard()
                        .withEndpointConfiguration(new AwsClientBuilder.EndpointConfiguration(
                                "http://" + Loopback.HOST + ":" + port, REGION))
                        .withPathStyleAccessEnabled(true)
                        .withCredentials(new AWSStaticCredentialsProvider(new BasicAWSCredentials(ACCESS_KEY, SECRET_KEY)))
                        .build();
                try {
                    awaitAnswer(jvm, port);
                    // listBuckets proves signature V4 and the credentials, not only an open port.
                    client.listBuckets();
                    client.createBucket(DEFAULT_BUCKET);
                } catch (RuntimeException e) {
                    jvm.close();
                    throw new IllegalStateException("S3Proxy on port " + port + " did not start: " + e
                            + "\n" + jvm.describeLogs(), e);
                }
                return new Running(port, jvm, client);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Any HTTP answer (S3Proxy says 403 to an unsigned request) means Jetty is serving. */
        private static void awaitAnswer(ChildJvm jvm, int port) {
            long deadline = System.nanoTime() + START_LIMIT.toNanos();
            while (System.nanoTime() < deadline) {
                if (!jvm.isAlive()) {
                    throw new IllegalStateException("S3Proxy exited during start-up");
                }
                try {
                    HttpURLConnection c = (HttpURLConnection) URI.create("http://" + Loopback.HOST + ":" + port + "/")
                            .toURL().openConnection();
                    c.setConnectTimeout(1000);
                    c.setReadTimeout(2000);
                    int code = c.getResponseCode();
                    c.disconnect();
                    if (code > 0) {
                        return;
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                sleep(200);
            }
            throw new IllegalStateException("S3Proxy did not answer within " + START_LIMIT);
        }

        private static List<String> s3ProxyClasspath() {
            String file = System.getProperty("fw.s3proxy.classpath");
            if (file == null || !Files.isRegularFile(Path.of(file))) {
                throw new IllegalStateException("S3Proxy classpath file not found (system property fw.s3proxy.classpath = "
                        + file + "); build the testkit module first: mvn -pl testkit/s3proxy generate-resources");
            }
            try {
                String text = Files.readString(Path.of(file), StandardCharsets.UTF_8).trim();
                return Arrays.asList(text.split(java.io.File.pathSeparator));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // best effort at JVM exit; the folder is under java.io.tmpdir
        }
    }
}
