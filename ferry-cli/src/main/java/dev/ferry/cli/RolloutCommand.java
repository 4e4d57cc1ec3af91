package dev.ferry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.ConflictException;
import dev.ferry.InvalidInputException;
import dev.ferry.NotFoundException;
import dev.ferry.UnavailableException;
import dev.ferry.rollout.GateThresholds;
import dev.ferry.rollout.RolloutJson;
import dev.ferry.rollout.RolloutPlan;
import dev.ferry.serving.ModelRef;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ferry rollout ...}: staged rollouts on a running server, through its admin API
 * ({@code /v1/admin/rollouts}) with the admin token. The server drives the stages and gates;
 * these commands start, watch and steer them.
 */
@Command(name = "rollout", mixinStandardHelpOptions = true,
        description = "Roll a candidate model version out in stages (offline, shadow, canary, full, watch) with automatic rollback.",
        subcommands = {RolloutCommand.Start.class, RolloutCommand.Status.class, RolloutCommand.Pause.class, RolloutCommand.Resume.class,
                RolloutCommand.Promote.class, RolloutCommand.Abort.class})
final class RolloutCommand {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Where the server is and how to authenticate; every subcommand takes these. */
    abstract static class Base implements Callable<Integer> {
        @Option(names = "--server", defaultValue = "${env:FERRY_SERVER:-http://localhost:8080}",
                description = "The server's base URL (default: ${DEFAULT-VALUE}; env FERRY_SERVER).")
        String server;

        @Option(names = "--token", defaultValue = "${env:FERRY_ADMIN_TOKEN}",
                description = "The admin token (env FERRY_ADMIN_TOKEN).")
        String token;

        @Option(names = "--json", description = "Print the server's JSON answer as it is.")
        boolean json;

        @Spec
        CommandSpec spec;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        @Override
        public Integer call() {
            JsonNode answer = run();
            if (json) {
                out().println(answer.toPrettyString());
            } else {
                print(answer);
            }
            out().flush();
            return 0;
        }

        abstract JsonNode run();

        void print(JsonNode rollout) {
            out().println(describe(rollout));
        }

        JsonNode send(String method, String path, String body) {
            if (token == null || token.isBlank()) {
                throw new InvalidInputException("--token was not given but the admin API needs one (or set FERRY_ADMIN_TOKEN)");
            }
            URI uri;
            try {
                uri = URI.create(server.replaceAll("/+$", "") + path);
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException("--server was '" + server + "' but it must be a URL like http://localhost:8080");
            }
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .header("X-Ferry-Actor", ModelsCommand.user())
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                    .build();
            HttpResponse<String> r;
            try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10)).build()) {
                r = client.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new UnavailableException("cannot reach the server at " + server + ": " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UnavailableException("interrupted while waiting for " + server);
            }
            JsonNode answer;
            try {
                answer = JSON.readTree(r.body());
            } catch (IOException e) {
                throw new UnavailableException("the server at " + server + " answered " + r.statusCode() + " with something not JSON");
            }
            String error = answer.path("error").asText("");
            return switch (r.statusCode()) {
                case 200 -> answer;
                case 400 -> throw new InvalidInputException(error);
                case 401, 403 -> throw new InvalidInputException("the server refused the admin token: " + error);
                case 404 -> throw new NotFoundException(error);
                case 409 -> throw new ConflictException(error);
                default -> throw new UnavailableException("the server answered " + r.statusCode() + ": " + error);
            };
        }
    }

    /** One rollout in a few lines: where it is, the gates, the last transitions. */
    static String describe(JsonNode r) {
        StringBuilder b = new StringBuilder();
        b.append(r.path("id").asText()).append("  ").append(r.path("plan").path("deployment").asText()).append("  candidate ")
                .append(r.path("plan").path("candidate").asText()).append(" vs champion ").append(r.path("champion").asText())
                .append("  ").append(r.path("label").asText()).append(r.path("paused").asBoolean() ? " (paused)" : "").append('\n');
        if (r.has("failure")) {
            b.append("  failed gate ").append(r.path("failure").path("gate").asText()).append(": ")
                    .append(r.path("failure").path("message").asText()).append('\n');
            b.append(String.format(java.util.Locale.ROOT, "  rolled back to 100%% champion in %.1f ms%n", r.path("rollback_ms").asDouble()));
        }
        for (JsonNode g : r.path("gates")) {
            b.append("  ").append(String.format("%-5s", g.path("verdict").asText())).append(' ').append(g.path("gate").asText())
                    .append(": ").append(g.path("message").asText()).append('\n');
        }
        JsonNode h = r.path("history");
        for (int i = Math.max(0, h.size() - 3); i < h.size(); i++) {
            JsonNode t = h.get(i);
            b.append("  ").append(t.path("at").asText()).append("  ").append(t.path("from").asText().isEmpty() ? "" : t.path("from").asText() + " -> ")
                    .append(t.path("to").asText()).append("  by ").append(t.path("actor").asText()).append(": ").append(t.path("reason").asText())
                    .append('\n');
        }
        return b.toString().stripTrailing();
    }

    static Duration duration(String option, String text) {
        String t = text.trim();
        try {
            if (t.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
            }
            if (t.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
            }
            if (t.endsWith("h")) {
                return Duration.ofHours(Long.parseLong(t.substring(0, t.length() - 1)));
            }
            return Duration.parse(t);
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new InvalidInputException(option + " was '" + text + "' but it must be a duration like 90s, 10m, 1h or PT10M");
        }
    }

    @Command(name = "start", mixinStandardHelpOptions = true, description = "Start rolling a candidate version out on a deployment.")
    static final class Start extends Base {
        @Option(names = "--deployment", required = true, description = "The deployment serving the champion.")
        String deployment;

        @Option(names = "--candidate", required = true, description = "The candidate version: model@version.")
        String candidate;

        @Option(names = "--steps", split = ",", description = "Canary steps in percent, ending at 100 (default 5,10,25,100).")
        List<Double> steps;

        @Option(names = "--min-duration", defaultValue = "10m", description = "Least time per stage (default ${DEFAULT-VALUE}).")
        String minDuration;

        @Option(names = "--min-samples", defaultValue = "500", description = "Least requests per side per stage (default ${DEFAULT-VALUE}).")
        int minSamples;

        @Option(names = "--watch", defaultValue = "30m", description = "Watch period after full rollout (default ${DEFAULT-VALUE}).")
        String watch;

        @Option(names = "--shadow-share", defaultValue = "1.0", description = "Share of requests mirrored in the shadow stage (default ${DEFAULT-VALUE}).")
        double shadowShare;

        @Option(names = "--offline-metric", description = "Registry metric compared before any traffic (e.g. auc).")
        String offlineMetric;

        @Option(names = "--lower-is-better", description = "The offline metric is better when lower (a loss).")
        boolean lowerIsBetter;

        @Option(names = "--offline-margin", defaultValue = "0", description = "How much worse offline the candidate may be (default ${DEFAULT-VALUE}).")
        double offlineMargin;

        @Option(names = "--confidence", defaultValue = "0.95", description = "Confidence of the gates' tests (default ${DEFAULT-VALUE}).")
        double confidence;

        @Option(names = "--max-divergence", defaultValue = "0.1", description = "Largest KS distance between prediction distributions (default ${DEFAULT-VALUE}).")
        double maxDivergence;

        @Override
        JsonNode run() {
            if (!candidate.contains("@")) {
                throw new InvalidInputException("--candidate was '" + candidate + "' but it must be model@version");
            }
            GateThresholds d = GateThresholds.DEFAULTS;
            RolloutPlan plan = new RolloutPlan(deployment, ModelRef.parse(candidate),
                    offlineMetric == null ? Optional.empty() : Optional.of(new RolloutPlan.OfflineCheck(offlineMetric, !lowerIsBetter, offlineMargin)),
                    shadowShare, steps == null ? RolloutPlan.DEFAULT_STEPS : new ArrayList<>(steps), duration("--min-duration", minDuration),
                    minSamples, duration("--watch", watch),
                    new GateThresholds(confidence, d.errorMargin(), d.fallbackMargin(), d.latencyTolerance(), d.latencySlackMillis(), maxDivergence),
                    Optional.empty());
            return send("POST", "/v1/admin/rollouts", RolloutJson.plan(plan).toString());
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Show one rollout, or every rollout.")
    static final class Status extends Base {
        @Parameters(arity = "0..1", description = "The rollout id; none lists every rollout.")
        String id;

        @Override
        JsonNode run() {
            return send("GET", id == null ? "/v1/admin/rollouts" : "/v1/admin/rollouts/" + id, null);
        }

        @Override
        void print(JsonNode answer) {
            if (id != null) {
                super.print(answer);
            } else if (answer.path("rollouts").isEmpty()) {
                out().println("no rollouts");
            } else {
                answer.path("rollouts").forEach(r -> out().println(describe(r)));
            }
        }
    }

    /** A command on one rollout: {@code POST /v1/admin/rollouts/{id}/<verb>}. */
    abstract static class Verb extends Base {
        @Parameters(index = "0", description = "The rollout id.")
        String id;

        abstract String verb();

        @Override
        JsonNode run() {
            if (!id.matches("[A-Za-z0-9][A-Za-z0-9_.\\-]*")) {
                throw new InvalidInputException("rollout id was '" + id + "' but it must be letters, digits, '_', '.' or '-'");
            }
            return send("POST", "/v1/admin/rollouts/" + id + "/" + verb(), null);
        }
    }

    @Command(name = "pause", mixinStandardHelpOptions = true, description = "Stop advancing (a failing gate still rolls back).")
    static final class Pause extends Verb {
        @Override
        String verb() {
            return "pause";
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, description = "Advance again when the gates pass.")
    static final class Resume extends Verb {
        @Override
        String verb() {
            return "resume";
        }
    }

    @Command(name = "promote", mixinStandardHelpOptions = true, description = "Skip to the next stage now.")
    static final class Promote extends Verb {
        @Override
        String verb() {
            return "promote";
        }
    }

    @Command(name = "abort", mixinStandardHelpOptions = true, description = "Stop the rollout: the champion serves all traffic again.")
    static final class Abort extends Verb {
        @Override
        String verb() {
            return "abort";
        }
    }
}
