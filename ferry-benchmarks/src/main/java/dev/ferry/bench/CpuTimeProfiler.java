package dev.ferry.bench;

import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * A JMH profiler ({@code -prof dev.ferry.bench.CpuTimeProfiler}) that reports the benchmark JVM's
 * CPU time per operation, {@code cpu.time/op} in µs, next to the wall-clock score. On a machine
 * shared with other work, wall time includes the time the benchmark thread waits for a core; CPU
 * time does not, so it compares Ferry with a direct call more steadily. It counts every thread of
 * the JVM (GC included, which is fair: allocation is part of the cost); the runtimes are
 * configured with one native thread, so their work runs on the benchmark thread.
 */
public final class CpuTimeProfiler implements InternalProfiler {

    static final String LABEL = "cpu.time/op";

    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private long start;

    @Override
    public String getDescription() {
        return "JVM process CPU time per operation (µs)";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        start = os.getProcessCpuTime();
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
                                                       IterationResult result) {
        long nanos = os.getProcessCpuTime() - start;
        long ops = Math.max(1, result.getMetadata().getAllOps());
        return List.of(new ScalarResult(LABEL, nanos / 1_000.0 / ops, "us/op", AggregationPolicy.AVG));
    }
}
