package dev.ferry.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import org.HdrHistogram.Histogram;

/**
 * The ratio of Ferry's online read to a bare Redis read of the same keys, measured interleaved:
 * each round runs the bare Lettuce MGET, the store's read and the read API once each, in a random
 * order, on one thread, so machine drift (another process, frequency scaling, a GC) falls on all
 * three alike. Uses the stores and data of {@link OnlineFeaturesBenchmark}.
 *
 * <pre>FERRY_TEST_REDIS_URL=redis://127.0.0.1:6379 java -cp 'ferry-benchmarks/target/ferry-benchmarks.jar:ferry-benchmarks/target/lib/*' \
 *     dev.ferry.bench.OnlineReadRatio [entities, default 100] [rounds, default 20000]</pre>
 */
public final class OnlineReadRatio {

    private OnlineReadRatio() {
    }

    public static void main(String[] args) throws Exception {
        int entities = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        if (entities < 1 || entities > 1000 || rounds < 100) {
            throw new IllegalArgumentException("entities must be 1..1000 and rounds at least 100; got " + entities + " and " + rounds);
        }
        OnlineFeaturesBenchmark b = new OnlineFeaturesBenchmark();
        b.entities = entities;
        b.setUp();
        try {
            List<String> names = List.of("bare Lettuce MGET", "Redis store read", "Redis read API", "RocksDB store read", "RocksDB read API");
            // Every answer is read to its last cell inside the timing, as a caller would; the bare
            // read's values are touched too, though it has nothing to decode.
            List<Callable<Long>> reads = List.of(() -> touchBare(b.bareRead()), () -> touchStore(b.redis()),
                    () -> touchApi(b.apiRedis()), () -> touchStore(b.rocksdb()), () -> touchApi(b.apiRocksdb()));
            List<Histogram> h = new ArrayList<>();
            names.forEach(n -> h.add(new Histogram(1_000_000_000L, 3)));
            Random random = new Random(1);
            int[] order = {0, 1, 2, 3, 4};
            long sink = 0;
            int warmUp = Math.max(2_000, rounds / 4);
            for (int round = -warmUp; round < rounds; round++) {
                for (int i = order.length - 1; i > 0; i--) {
                    int j = random.nextInt(i + 1);
                    int t = order[i];
                    order[i] = order[j];
                    order[j] = t;
                }
                for (int k : order) {
                    long start = System.nanoTime();
                    long touched = reads.get(k).call();
                    long took = System.nanoTime() - start;
                    sink += touched;
                    if (round >= 0) {
                        h.get(k).recordValue(took);
                    }
                }
            }
            System.out.printf(Locale.ROOT, "%d entities x %d features, %d interleaved rounds after %d of warm-up (load average %s)%n",
                    entities, OnlineReadBenchmark.FEATURES, rounds, warmUp, loadAverage());
            for (int k = 0; k < names.size(); k++) {
                System.out.printf(Locale.ROOT, "%-20s p50 %8.1f us  p90 %8.1f us  p99 %8.1f us%n", names.get(k),
                        h.get(k).getValueAtPercentile(50) / 1e3, h.get(k).getValueAtPercentile(90) / 1e3,
                        h.get(k).getValueAtPercentile(99) / 1e3);
            }
            double bare50 = h.get(0).getValueAtPercentile(50);
            double bare99 = h.get(0).getValueAtPercentile(99);
            System.out.printf(Locale.ROOT, "read API / bare MGET: p50 %.2fx  p99 %.2fx;  store read / bare MGET: p50 %.2fx  p99 %.2fx%n",
                    h.get(2).getValueAtPercentile(50) / bare50, h.get(2).getValueAtPercentile(99) / bare99,
                    h.get(1).getValueAtPercentile(50) / bare50, h.get(1).getValueAtPercentile(99) / bare99);
            System.out.println("(checksum " + sink + ")");
        } finally {
            b.tearDown();
        }
        System.exit(0);
    }

    private static long touchBare(List<io.lettuce.core.KeyValue<byte[], byte[]>> values) {
        long sum = 0;
        for (io.lettuce.core.KeyValue<byte[], byte[]> kv : values) {
            byte[] v = kv.getValueOrElse(null);
            sum += v == null ? 0 : v.length + v[v.length - 1];
        }
        return sum;
    }

    private static long touchStore(List<dev.ferry.online.EntityFeatures> answer) {
        long sum = 0;
        for (dev.ferry.online.EntityFeatures e : answer) {
            for (int i = 0; i < e.size(); i++) {
                sum += touch(e.get(i));
            }
        }
        return sum;
    }

    private static long touchApi(dev.ferry.serving.OnlineFeatures.Response answer) {
        long sum = 0;
        for (List<dev.ferry.online.FeatureValue> row : answer.rows()) {
            for (dev.ferry.online.FeatureValue v : row) {
                sum += touch(v);
            }
        }
        return sum;
    }

    private static long touch(dev.ferry.online.FeatureValue v) {
        return v.status().ordinal() + (v.value() instanceof Double d ? (long) (double) d : 1);
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
