package org.fieldwork.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.fieldwork.io.SeekableInput;
import org.fieldwork.io.Storage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** S3Proxy in its own JVM serves s3a:// for Spark, Hadoop's FileSystem API and Storage. */
@ExtendWith(S3ProxyServer.class)
@Timeout(value = 3, unit = TimeUnit.MINUTES) // a hung S3 call must fail the build, not stall it
class S3ProxyServerTest {
    private static SparkSession spark;

    @BeforeAll
    static void startSpark(S3ProxyServer s3) {
        spark = SparkSession.builder()
                .master("local[2]")
                .appName("S3ProxyServerTest")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.driver.host", Loopback.HOST)
                .config(new java.util.HashMap<String, Object>(s3.sparkSettings()))
                .getOrCreate();
        // Also on the live Hadoop configuration, in case an earlier test class created the context.
        s3.s3aSettings().forEach(spark.sparkContext().hadoopConfiguration()::set);
    }

    @AfterAll
    static void stopSpark() {
        if (spark != null) {
            spark.stop();
        }
    }

    @Test
    void sparkWritesAndReadsParquetOnS3a(S3ProxyServer s3) {
        s3.createBucket("spark-parquet");
        String path = S3ProxyServer.s3aUri("spark-parquet", "runs/r1/table");
        Dataset<Row> written = spark.range(0, 10_000, 1, 4).selectExpr("id", "id * 3 AS tripled", "cast(id AS string) AS name");
        written.write().mode(SaveMode.Overwrite).parquet(path);

        Dataset<Row> read = spark.read().parquet(path);
        assertEquals(10_000L, read.count());
        Row sums = read.selectExpr("sum(id)", "sum(tripled)", "count(DISTINCT name)").first();
        assertEquals(49_995_000L, sums.getLong(0));
        assertEquals(3 * 49_995_000L, sums.getLong(1));
        assertEquals(10_000L, sums.getLong(2));

        // The objects really are in S3Proxy: the committer's _SUCCESS marker and part files.
        List<String> keys = s3.list("spark-parquet", "runs/r1/table/");
        assertTrue(keys.contains("runs/r1/table/_SUCCESS"), keys.toString());
        assertTrue(keys.stream().anyMatch(k -> k.endsWith(".parquet")), keys.toString());
    }

    @Test
    void hadoopFileSystemPutAndGetRoundTripBytes(S3ProxyServer s3, @TempDir Path tmp) throws IOException {
        byte[] data = new byte[3 * 1024 * 1024 + 17];
        new Random(42).nextBytes(data);
        Path local = Files.write(tmp.resolve("in.bin"), data);

        Configuration conf = new Configuration();
        s3.s3aSettings().forEach(conf::set);
        org.apache.hadoop.fs.Path remote = new org.apache.hadoop.fs.Path(
                S3ProxyServer.s3aUri(S3ProxyServer.DEFAULT_BUCKET, "fs-roundtrip/in.bin"));
        FileSystem fs = remote.getFileSystem(conf);
        fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(local.toUri()), remote);
        assertEquals(data.length, fs.getFileStatus(remote).getLen());

        Path back = tmp.resolve("back.bin");
        fs.copyToLocalFile(remote, new org.apache.hadoop.fs.Path(back.toUri()));
        assertArrayEquals(data, Files.readAllBytes(back));
        // Same bytes through the S3 API directly, so the s3a view is not just echoing itself.
        assertArrayEquals(data, s3.read(S3ProxyServer.DEFAULT_BUCKET, "fs-roundtrip/in.bin"));
    }

    /** A direct buffer's remaining bytes go up as one object (what a SEG-Y segment's edge piece is). */
    @Test
    void outputFilesPutABuffersRemainingBytes(S3ProxyServer s3) throws IOException {
        byte[] data = new byte[300_001];
        new Random(9).nextBytes(data);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocateDirect(data.length + 20);
        b.put(11, data).position(11).limit(11 + data.length);
        new org.fieldwork.io.OutputFiles(Storage.of(s3.s3aSettings()))
                .writeAtomically(S3ProxyServer.s3aUri(S3ProxyServer.DEFAULT_BUCKET, "pieces/edge.f32"), b);
        assertArrayEquals(data, s3.read(S3ProxyServer.DEFAULT_BUCKET, "pieces/edge.f32"));
        assertEquals(11, b.position());
    }

    @Test
    void storageOpensUploadedObjects(S3ProxyServer s3, @TempDir Path tmp) throws IOException {
        byte[] data = new byte[200_000];
        new Random(7).nextBytes(data);
        String uri = s3.upload(Files.write(tmp.resolve("object.bin"), data), S3ProxyServer.DEFAULT_BUCKET, "storage/object.bin");

        Storage storage = Storage.of(s3.s3aSettings());
        try (SeekableInput in = storage.openInput(uri)) {
            assertEquals(data.length, in.length());
            byte[] middle = new byte[1000];
            in.readFully(123_456, middle, 0, middle.length);
            assertArrayEquals(java.util.Arrays.copyOfRange(data, 123_456, 124_456), middle);
            byte[] all = new byte[data.length];
            in.readFully(0, all, 0, all.length);
            assertArrayEquals(data, all);
        }
    }

    @Test
    void uploadTreeKeepsRelativeNames(S3ProxyServer s3, @TempDir Path tmp) throws IOException {
        Files.createDirectories(tmp.resolve("scans/page2"));
        Files.writeString(tmp.resolve("scans/a.txt"), "first");
        Files.writeString(tmp.resolve("scans/page2/b.txt"), "second");
        s3.createBucket("tree");

        String prefix = s3.uploadTree(tmp.resolve("scans"), "tree", "batch-1");

        assertEquals("s3a://tree/batch-1/", prefix);
        assertEquals(List.of("batch-1/a.txt", "batch-1/page2/b.txt"), s3.list("tree", "batch-1/"));
        assertEquals("second", new String(s3.read("tree", "batch-1/page2/b.txt"), java.nio.charset.StandardCharsets.UTF_8));

        s3.deleteBucket("tree");
        s3.createBucket("tree");
        assertEquals(List.of(), s3.list("tree", ""));
    }
}
