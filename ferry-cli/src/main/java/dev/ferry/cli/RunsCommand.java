package dev.ferry.cli;

import dev.ferry.ErrorKind;
import dev.ferry.InvalidInputException;
import dev.ferry.NotFoundException;
import dev.ferry.pipeline.PipelineRunner;
import dev.ferry.pipeline.PipelineYaml;
import dev.ferry.pipeline.Reproducer;
import dev.ferry.pipeline.StepTypes;
import dev.ferry.pipeline.runs.Lineage;
import dev.ferry.pipeline.runs.RunDiff;
import dev.ferry.pipeline.runs.RunRecord;
import dev.ferry.pipeline.runs.StepRecord;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ferry runs}: the record of pipeline runs: list, show, diff, reproduce, lineage. */
@Command(name = "runs", mixinStandardHelpOptions = true, description = "Inspect, compare and reproduce recorded pipeline runs.",
        subcommands = {RunsCommand.ListRuns.class, RunsCommand.Show.class, RunsCommand.Diff.class, RunsCommand.Reproduce.class,
                RunsCommand.LineageCommand.class})
final class RunsCommand {

    abstract static class Base implements Callable<Integer> {
        @Mixin
        RegistryOptions registryOptions;

        @Spec
        CommandSpec spec;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        @Override
        public Integer call() {
            try (PipelineSession session = new PipelineSession(registryOptions)) {
                int code = run(session);
                out().flush();
                return code;
            }
        }

        abstract int run(PipelineSession session);
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Runs, newest first.")
    static final class ListRuns extends Base {
        @Option(names = "--limit", defaultValue = "20", description = "At most this many (default: ${DEFAULT-VALUE}).")
        int limit;

        @Override
        int run(PipelineSession session) {
            List<RunRecord> runs = session.runs().list();
            out().printf("%-26s %-20s %-9s %-20s %5s  %s%n", "RUN", "PIPELINE", "STATUS", "STARTED", "STEPS", "MESSAGE");
            runs.stream().limit(limit).forEach(r -> out().printf("%-26s %-20s %-9s %-20s %5d  %s%n", r.id(), r.pipeline(), r.status(),
                    r.startedAt().toString().substring(0, 19), r.steps().size(), r.message()));
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Everything a run recorded.")
    static final class Show extends Base {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        int run(PipelineSession session) {
            RunRecord r = session.runs().get(id);
            PrintWriter out = out();
            out.printf("run %s: pipeline %s version %s (%s)%n", r.id(), r.pipeline(), r.pipelineVersion(), r.origin());
            out.printf("status %s%s%n", r.status(), r.failedStep() == null ? "" : " at step '" + r.failedStep() + "': " + r.failure());
            out.printf("started %s, finished %s%s%n", r.startedAt(), r.finishedAt(), r.forced() ? ", cache ignored" : "");
            out.printf("seed %d, params %s%n", r.seed(), r.params());
            out.printf("code %s%s%n", r.code().commit(), r.code().dirty() ? " (dirty)" : "");
            out.printf("environment %s%n", r.environment());
            if (r.reproduces() != null) {
                out.printf("reproduces %s%n", r.reproduces());
            }
            if (!r.message().isBlank()) {
                out.printf("message %s%n", r.message());
            }
            for (StepRecord s : r.steps()) {
                out.printf("%nstep %s (%s v%d): %s, %d tries, %d ms, seed %d%n", s.id(), s.type(), s.typeVersion(), s.status(), s.attempts(),
                        s.millis(), s.seed());
                print(out, "params", s.params());
                print(out, "inputs", s.inputs());
                print(out, "outputs", s.outputs());
                print(out, "metrics", s.metrics());
                print(out, "values", s.values());
                if (s.log() != null) {
                    out.printf("  log %s%n", s.log());
                }
                if (s.error() != null) {
                    out.printf("  error %s%n", s.error());
                }
            }
            return 0;
        }

        private static void print(PrintWriter out, String what, java.util.Map<String, ?> m) {
            if (!m.isEmpty()) {
                out.printf("  %s:%n", what);
                m.forEach((k, v) -> out.printf("    %s = %s%n", k, v));
            }
        }
    }

    @Command(name = "diff", mixinStandardHelpOptions = true, description = "What differs between two runs: params, data, code, metrics, outputs.")
    static final class Diff extends Base {
        @Parameters(index = "0", paramLabel = "ID1")
        String left;

        @Parameters(index = "1", paramLabel = "ID2")
        String right;

        @Override
        int run(PipelineSession session) {
            RunDiff d = RunDiff.of(session.runs().get(left), session.runs().get(right));
            if (d.isEmpty()) {
                out().printf("runs %s and %s do not differ%n", left, right);
                return 0;
            }
            section(out(), "params", d.params());
            section(out(), "data", d.data());
            section(out(), "code", d.code());
            section(out(), "metrics", d.metrics());
            section(out(), "outputs", d.outputs());
            return 0;
        }
    }

    static void section(PrintWriter out, String name, List<RunDiff.Change> changes) {
        if (changes.isEmpty()) {
            return;
        }
        out.printf("%s:%n", name);
        for (RunDiff.Change c : changes) {
            out.printf("  %s: %s -> %s%n", c.key(), c.left() == null ? "(absent)" : c.left(), c.right() == null ? "(absent)" : c.right());
        }
    }

    @Command(name = "reproduce", mixinStandardHelpOptions = true,
            description = "Re-run a recorded run from its record, ignoring the cache; exit non-zero unless every output and metric matches.")
    static final class Reproduce extends Base {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Option(names = "--workers", defaultValue = "2", description = "Steps run at once (default: ${DEFAULT-VALUE}).")
        int workers;

        @Mixin
        OnlineStoreOption online;

        @Override
        int run(PipelineSession session) {
            RunRecord original = session.runs().get(id);
            boolean materializes = PipelineCommand.materializes(PipelineYaml.parse(original.definition(), original.origin(),
                    Path.of(original.baseDir()), StepTypes.load()));
            try (PipelineSession.Progress progress = new PipelineSession.Progress(out())) {
                PipelineRunner runner = session.runner(online, materializes, workers, progress);
                Reproducer.Reproduction rep = new Reproducer(session.runs(), runner).reproduce(id);
                if (rep.matches()) {
                    out().printf("run %s reproduces %s: every output and metric matches%n", rep.rerun().id(), id);
                    return 0;
                }
                out().printf("run %s does NOT reproduce %s:%n", rep.rerun().id(), id);
                rep.mismatches().forEach(m -> out().printf("  %s%n", m));
                section(out(), "what differs in the inputs", rep.diff().data());
                section(out(), "what differs in the code", rep.diff().code());
                return ErrorKind.VALIDATION_FAILED.exitCode();
            }
        }
    }

    @Command(name = "lineage", mixinStandardHelpOptions = true,
            description = "From a model version to its run, data and features; or from a dataset to every model trained on it.")
    static final class LineageCommand extends Base {

        static final class Target {
            @ArgGroup(exclusive = false)
            ModelRef model;

            @Option(names = "--data", paramLabel = "FINGERPRINT|PATH", description = "A dataset fingerprint (sha256:...) or path.")
            String data;
        }

        static final class ModelRef {
            @Option(names = "--model", required = true, description = "Model name.")
            String name;

            @Option(names = "--version", required = true, description = "Model version.")
            int version;
        }

        @ArgGroup(exclusive = true, multiplicity = "1")
        Target target;

        @Override
        int run(PipelineSession session) {
            Lineage lineage = new Lineage(session.runs());
            if (target.data != null) {
                List<Lineage.TrainedModel> models = lineage.modelsTrainedOn(target.data);
                if (models.isEmpty()) {
                    throw new NotFoundException("no recorded run registered a model from " + target.data);
                }
                models.forEach(m -> out().printf("%s@%d  run %s  step %s%n", m.model(), m.version(), m.runId(), m.step()));
                return 0;
            }
            if (target.model == null) {
                throw new InvalidInputException("give --model NAME --version N, or --data");
            }
            Lineage.ModelOrigin o = lineage.ofModel(target.model.name, target.model.version)
                    .orElseThrow(() -> new NotFoundException("no recorded run registered " + target.model.name + "@" + target.model.version));
            RunRecord r = o.run();
            out().printf("%s@%d was registered by run %s (pipeline %s, step %s)%n", target.model.name, target.model.version, r.id(),
                    r.pipeline(), o.registerStep().id());
            out().printf("code %s%s, seed %d, params %s%n", r.code().commit(), r.code().dirty() ? " (dirty)" : "", r.seed(), r.params());
            for (StepRecord s : r.steps()) {
                s.inputs().forEach((k, v) -> {
                    if (!k.startsWith("step:")) {
                        out().printf("data  %-40s sha256:%s  (step %s)%n", k, v, s.id());
                    }
                });
                s.values().forEach((k, v) -> {
                    if (k.startsWith("view.") || k.startsWith("entities_") || k.equals("training_data")) {
                        out().printf("%-5s %-40s %s  (step %s)%n", k.startsWith("view.") ? "view" : "set", k, v, s.id());
                    }
                });
            }
            return 0;
        }
    }
}
