package dev.ferry.pipeline;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Small step types for runner tests; each counts how often it ran, per step id. */
final class TestSteps {

    final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();

    int runs(String step) {
        AtomicInteger n = runs.get(step);
        return n == null ? 0 : n.get();
    }

    private void count(StepContext c) {
        runs.computeIfAbsent(c.id(), k -> new AtomicInteger()).incrementAndGet();
    }

    /** {@code write}: writes out.txt = its {@code text} param, the content of {@code file} if given, and upstream out.txt files. */
    StepType write() {
        return new StepType() {
            public String name() {
                return "write";
            }

            public int version() {
                return 1;
            }

            public List<Path> inputFiles(StepContext c) {
                return c.optional("file").map(f -> List.of(c.path("file"))).orElse(List.of());
            }

            public StepResult run(StepContext c) throws Exception {
                count(c);
                StringBuilder sb = new StringBuilder(c.optional("text").orElse(c.id()));
                if (c.optional("file").isPresent()) {
                    sb.append('|').append(Files.readString(c.path("file")));
                }
                c.upstreamFiles("out.txt").values().forEach(f -> sb.append('<').append(read(f)));
                Files.writeString(c.outputDir().resolve("out.txt"), sb.toString());
                return StepResult.of(Map.of("length", (double) sb.length()), Map.of());
            }
        };
    }

    /** {@code flaky}: fails its first {@code fail} tries, then succeeds. */
    StepType flaky() {
        return new StepType() {
            public String name() {
                return "flaky";
            }

            public int version() {
                return 1;
            }

            public StepResult run(StepContext c) throws Exception {
                count(c);
                if (runs(c.id()) <= c.integer("fail", 0)) {
                    throw new IllegalStateException("transient failure " + runs(c.id()));
                }
                Files.writeString(c.outputDir().resolve("out.txt"), "ok");
                return StepResult.EMPTY;
            }
        };
    }

    /** {@code latch}: waits until {@code latch} parties have arrived, proving they ran at the same time. */
    StepType latch(CountDownLatch latch) {
        return new StepType() {
            public String name() {
                return "latch";
            }

            public int version() {
                return 1;
            }

            public StepResult run(StepContext c) throws Exception {
                count(c);
                latch.countDown();
                if (!latch.await(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the other fanned-out steps never ran alongside " + c.id());
                }
                Files.writeString(c.outputDir().resolve("out.txt"), c.string("value"));
                return StepResult.of(Map.of(), Map.of("value", c.string("value")));
            }
        };
    }

    private static String read(Path f) {
        try {
            return Files.readString(f, StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
