package dev.ferry.cli;

import dev.ferry.ErrorKind;
import dev.ferry.InvalidInputException;
import dev.ferry.pipeline.Pipeline;
import dev.ferry.pipeline.PipelineRunner;
import dev.ferry.pipeline.PipelineYaml;
import dev.ferry.pipeline.RunOptions;
import dev.ferry.pipeline.StepTypes;
import dev.ferry.pipeline.runs.RunRecord;
import dev.ferry.pipeline.runs.RunStatus;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ferry pipeline run FILE}: runs a pipeline, reusing cached steps, and records the run. */
@Command(name = "pipeline", mixinStandardHelpOptions = true, description = "Run reproducible training pipelines.",
        subcommands = {PipelineCommand.Run.class})
final class PipelineCommand {

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Run a pipeline file. Steps whose code, parameters and inputs are unchanged reuse their recorded outputs.")
    static final class Run implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "FILE", description = "The pipeline YAML file.")
        Path file;

        @Option(names = "--param", paramLabel = "KEY=VALUE", description = "Override a pipeline parameter (repeatable).")
        List<String> params = List.of();

        @Option(names = "--force", description = "Ignore the cache: run every step.")
        boolean force;

        @Option(names = "--workers", defaultValue = "2", description = "Steps run at once (default: ${DEFAULT-VALUE}).")
        int workers;

        @Option(names = {"-m", "--message"}, defaultValue = "", description = "A message recorded with the run.")
        String message;

        @Mixin
        RegistryOptions registryOptions;

        @Mixin
        OnlineStoreOption online;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            Map<String, String> overrides = parseParams(params);
            Pipeline pipeline = PipelineYaml.load(file, StepTypes.load());
            try (PipelineSession session = new PipelineSession(registryOptions);
                 PipelineSession.Progress progress = new PipelineSession.Progress(out)) {
                PipelineRunner runner = session.runner(online, materializes(pipeline), workers, progress);
                RunRecord r = runner.run(pipeline, new RunOptions(overrides, force, message, null));
                return report(out, r);
            }
        }
    }

    static boolean materializes(Pipeline p) {
        return p.steps().stream().anyMatch(s -> s.type().equals("materialize"));
    }

    static Map<String, String> parseParams(List<String> params) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String p : params) {
            int eq = p.indexOf('=');
            if (eq <= 0) {
                throw new InvalidInputException("--param was '" + p + "' but it must be KEY=VALUE");
            }
            out.put(p.substring(0, eq), p.substring(eq + 1));
        }
        return out;
    }

    static int report(PrintWriter out, RunRecord r) {
        if (r.status() == RunStatus.SUCCEEDED) {
            out.printf("run %s succeeded (%d steps, %d from cache); see: ferry runs show %s%n", r.id(), r.steps().size(),
                    r.steps().stream().filter(s -> s.status() == dev.ferry.pipeline.runs.StepStatus.CACHED).count(), r.id());
            out.flush();
            return 0;
        }
        out.printf("run %s failed at step '%s': %s%n", r.id(), r.failedStep(), r.failure());
        out.flush();
        return ErrorKind.VALIDATION_FAILED.exitCode();
    }
}
