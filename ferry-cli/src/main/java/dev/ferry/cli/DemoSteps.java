package dev.ferry.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** Prints numbered demo steps with their duration; the first failing step ends the demo. */
final class DemoSteps {

    private final PrintWriter out;
    private final int total;
    private int done;

    DemoSteps(PrintWriter out, int total) {
        this.out = out;
        this.total = total;
    }

    <T> T run(String title, Callable<T> step) throws Exception {
        done++;
        out.printf("[%d/%d] %s%n", done, total, title);
        out.flush();
        long start = System.nanoTime();
        T result = step.call();
        out.printf("      done in %d ms%n", (System.nanoTime() - start) / 1_000_000);
        out.flush();
        return result;
    }

    void line(String format, Object... args) {
        out.printf("      " + format + "%n", args);
        out.flush();
    }

    static String percentiles(long[] nanos) {
        long[] s = nanos.clone();
        java.util.Arrays.sort(s);
        return String.format("p50 %.3f ms, p99 %.3f ms over %d calls", s[s.length / 2] / 1e6,
                s[(int) Math.min(s.length - 1, Math.ceil(s.length * 0.99) - 1)] / 1e6, s.length);
    }
}
