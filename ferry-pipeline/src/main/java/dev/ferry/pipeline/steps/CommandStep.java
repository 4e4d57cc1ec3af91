package dev.ferry.pipeline.steps;

import dev.ferry.InvalidInputException;
import dev.ferry.pipeline.StepContext;
import dev.ferry.pipeline.StepResult;
import dev.ferry.pipeline.StepType;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code command}: runs a data scientist's own program ({@code command}: the program and its
 * arguments) in the pipeline file's directory and keeps the files it declares in {@code outputs},
 * which it writes under {@code FERRY_OUTPUT_DIR} (a scratch directory). Its
 * declared {@code inputs} (the script, its data) are fingerprinted like any step's. Arguments may
 * name {@code ${upstream:FILE}} (an upstream step's output) and {@code ${output}}; the program
 * gets {@code FERRY_SEED}, {@code FERRY_RUN_ID}, {@code FERRY_STEP}, {@code FERRY_OUTPUT_DIR} and
 * {@code FERRY_PARAM_<NAME>} for each parameter, so its randomness is seeded from the run.
 * Its output goes to the step log; a non-zero exit or a missing output fails the step.
 */
public final class CommandStep implements StepType {

    private static final Pattern UPSTREAM = Pattern.compile("\\$\\{upstream:([^}]+)}");

    @Override
    public String name() {
        return "command";
    }

    @Override
    public int version() {
        return 1;
    }

    @Override
    public Set<String> requiredParams() {
        return Set.of("command");
    }

    @Override
    public StepResult run(StepContext context) throws Exception {
        List<String> command = new ArrayList<>();
        Path scratch = Files.createTempDirectory(context.outputDir().getParent(), "command");
        try {
            for (String arg : context.list("command")) {
                Matcher m = UPSTREAM.matcher(arg);
                StringBuilder sb = new StringBuilder();
                while (m.find()) {
                    m.appendReplacement(sb, Matcher.quoteReplacement(context.upstreamFile(m.group(1)).toString()));
                }
                m.appendTail(sb);
                command.add(sb.toString().replace("${output}", scratch.toString()));
            }
            if (command.isEmpty()) {
                throw context.invalid("command", null, "the program to run and its arguments");
            }
            ProcessBuilder pb = new ProcessBuilder(command).directory(context.resolve(".").toFile()).redirectErrorStream(true);
            Map<String, String> env = pb.environment();
            env.put("FERRY_SEED", String.valueOf(context.seed()));
            env.put("FERRY_RUN_ID", context.runId());
            env.put("FERRY_STEP", context.id());
            env.put("FERRY_OUTPUT_DIR", scratch.toString());
            context.params().forEach((k, v) -> env.put("FERRY_PARAM_" + k.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_"), String.valueOf(v)));
            context.log().printf("$ %s%n", String.join(" ", command));
            Process p = pb.start();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    context.log().println(line);
                }
            }
            int timeout = context.integer("timeout_seconds", 3600);
            if (!p.waitFor(timeout, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new InvalidInputException("command " + command + " did not finish within " + timeout + " s");
            }
            if (p.exitValue() != 0) {
                throw new InvalidInputException("command " + command + " exited with code " + p.exitValue() + "; its output is in the step log");
            }
            for (String out : context.list("outputs")) {
                Path f = scratch.resolve(out).normalize();
                if (!f.startsWith(scratch) || !Files.isRegularFile(f)) {
                    throw new InvalidInputException("command " + command + " did not write its declared output " + out);
                }
                Path target = context.outputDir().resolve(out);
                Files.createDirectories(target.getParent());
                Files.move(f, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return StepResult.of(Map.of(), Map.of("exit_code", "0"));
        } finally {
            try (var walk = Files.walk(scratch)) {
                for (Path f : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }
}
