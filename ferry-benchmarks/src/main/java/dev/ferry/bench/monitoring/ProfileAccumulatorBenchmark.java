package dev.ferry.bench.monitoring;

import dev.ferry.monitoring.profile.DatasetProfile;
import dev.ferry.monitoring.profile.ProfileAccumulator;
import dev.ferry.types.FeatureType;
import dev.ferry.types.Field;
import dev.ferry.types.Schema;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the live profile costs serving: {@link ProfileAccumulator#add} of one row of four features
 * (float64, int64 with 1% nulls, a string of 50 values, a bool), from one thread and from two
 * threads sharing the accumulator; one value of a single numeric or string feature; and a snapshot
 * of an accumulator that has seen 102,400 rows. Throughput is rows (or values, or snapshots) per
 * second; values per second per feature equals rows per second.
 * {@code java -cp "$CP" org.openjdk.jmh.Main ProfileAccumulatorBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xmx1g"})
public class ProfileAccumulatorBenchmark {

    static final int ROWS = 4096;
    static final Schema SCHEMA = Schema.of(Field.of("amount", FeatureType.FLOAT64), Field.of("age", FeatureType.INT64),
            Field.of("merchant", FeatureType.STRING), Field.of("member", FeatureType.BOOL));

    List<Map<String, Object>> rows;
    double[] numbers;
    String[] strings;
    ProfileAccumulator accumulator;
    ProfileAccumulator single;
    ProfileAccumulator filled;

    @Setup(Level.Trial)
    public void setUp() {
        Random r = new Random(1);
        rows = new ArrayList<>(ROWS);
        numbers = new double[ROWS];
        strings = new String[ROWS];
        for (int i = 0; i < ROWS; i++) {
            Map<String, Object> m = new HashMap<>();
            m.put("amount", Math.exp(r.nextGaussian() * 2));
            m.put("age", r.nextInt(100) == 0 ? null : (long) (18 + r.nextInt(70)));
            m.put("merchant", "m" + r.nextInt(50));
            m.put("member", r.nextBoolean());
            rows.add(m);
            numbers[i] = r.nextGaussian();
            strings[i] = "m" + r.nextInt(50);
        }
        accumulator = ProfileAccumulator.forSchema(SCHEMA);
        single = ProfileAccumulator.inferring();
        filled = ProfileAccumulator.forSchema(SCHEMA);
        for (int k = 0; k < 25; k++) {
            rows.forEach(filled::add);
        }
    }

    @State(Scope.Thread)
    public static class Cursor {
        int i;

        int next() {
            i = (i + 1) & (ROWS - 1);
            return i;
        }
    }

    @Benchmark
    public void addRow(Cursor c) {
        accumulator.add(rows.get(c.next()));
    }

    @Benchmark
    @Threads(2)
    public void addRowTwoThreads(Cursor c) {
        accumulator.add(rows.get(c.next()));
    }

    @Benchmark
    public void addNumericValue(Cursor c) {
        single.addValue("x", numbers[c.next()]);
    }

    @Benchmark
    public void addStringValue(Cursor c) {
        single.addValue("s", strings[c.next()]);
    }

    @Benchmark
    public DatasetProfile snapshot() {
        return filled.snapshot();
    }
}
