package dev.ferry.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.InvalidInputException;
import dev.ferry.serving.Arm;
import dev.ferry.serving.DeploymentSpec;
import dev.ferry.serving.ModelRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON (and YAML) form of a {@link DeploymentSpec}, shared by the admin API and the
 * configuration file:
 *
 * <pre>
 * {"arms": [{"name": "stable", "model": "credit", "version": "champion", "weight": 90},
 *           {"name": "canary", "model": "credit", "version": "7", "weight": 10}],
 *  "shadow": {"model": "credit", "version": "8", "share": 0.1},
 *  "entity_keys": ["user_id"], "budget_ms": 50,
 *  "fallback": {"model": "credit-small", "version": "2"},
 *  "static_default": {"score": 0.5}, "score_output": "score"}
 * </pre>
 */
final class DeploymentJson {

    private DeploymentJson() {
    }

    static DeploymentSpec parse(String name, JsonNode n, Duration defaultBudget) {
        JsonValues.object("deployment", n);
        JsonValues.allowOnly("deployment", n, "arms", "shadow", "entity_keys", "budget_ms", "fallback", "static_default",
                "score_output", "model", "version");
        DeploymentSpec.Builder b = DeploymentSpec.builder(name).budget(defaultBudget);
        if (n.has("model")) {
            if (n.has("arms")) {
                throw new InvalidInputException("deployment: give either 'model' (one arm) or 'arms', not both");
            }
            b.arm("main", new ModelRef(JsonValues.text("", n, "model"), JsonValues.optText("", n, "version").orElse("latest")), 1);
        } else {
            JsonNode arms = JsonValues.array("", n, "arms");
            for (int i = 0; i < arms.size(); i++) {
                String f = "arms[" + i + "]";
                JsonNode a = JsonValues.object(f, arms.get(i));
                JsonValues.allowOnly(f, a, "name", "model", "version", "weight");
                b.arm(JsonValues.optText(f, a, "name").orElse("arm" + i), ref(f, a),
                        JsonValues.optNumber(f, a, "weight").orElse(1.0));
            }
        }
        if (n.hasNonNull("shadow")) {
            JsonNode s = JsonValues.object("shadow", n.get("shadow"));
            JsonValues.allowOnly("shadow", s, "model", "version", "share");
            b.shadow(ref("shadow", s), JsonValues.number("shadow", s, "share"));
        }
        if (n.hasNonNull("entity_keys")) {
            JsonNode keys = JsonValues.array("", n, "entity_keys");
            List<String> k = new ArrayList<>();
            for (int i = 0; i < keys.size(); i++) {
                if (!keys.get(i).isTextual()) {
                    throw new InvalidInputException("field 'entity_keys[" + i + "]' must be a string but was " + keys.get(i));
                }
                k.add(keys.get(i).asText());
            }
            b.entityKeys(k.toArray(String[]::new));
        }
        JsonValues.optNumber("", n, "budget_ms").ifPresent(ms -> {
            if (!(ms > 0) || ms > 600_000) {
                throw new InvalidInputException("field 'budget_ms' was " + ms + " but it must be between 1 and 600000");
            }
            b.budget(Duration.ofNanos((long) (ms * 1_000_000)));
        });
        if (n.hasNonNull("fallback")) {
            JsonNode f = JsonValues.object("fallback", n.get("fallback"));
            JsonValues.allowOnly("fallback", f, "model", "version");
            b.fallback(ref("fallback", f));
        }
        if (n.hasNonNull("static_default")) {
            b.staticDefault(JsonValues.map("", n, "static_default"));
        }
        JsonValues.optText("", n, "score_output").ifPresent(b::scoreOutput);
        return b.build();
    }

    private static ModelRef ref(String field, JsonNode a) {
        return new ModelRef(JsonValues.text(field, a, "model"), JsonValues.optText(field, a, "version").orElse("latest"));
    }

    static ObjectNode write(DeploymentSpec spec) {
        ObjectNode o = Http.JSON.createObjectNode();
        o.put("name", spec.name());
        ArrayNode arms = o.putArray("arms");
        for (Arm a : spec.arms()) {
            arms.addObject().put("name", a.name()).put("model", a.target().model()).put("version", a.target().versionOrAlias())
                    .put("weight", a.weight());
        }
        spec.shadow().ifPresent(s -> o.putObject("shadow").put("model", s.target().model())
                .put("version", s.target().versionOrAlias()).put("share", s.share()));
        ArrayNode keys = o.putArray("entity_keys");
        spec.entityKeys().forEach(keys::add);
        o.put("budget_ms", spec.budget().toNanos() / 1e6);
        spec.fallback().ifPresent(f -> o.putObject("fallback").put("model", f.model()).put("version", f.versionOrAlias()));
        spec.staticDefault().ifPresent(d -> o.set("static_default", Http.JSON.valueToTree(d)));
        spec.scoreOutput().ifPresent(s -> o.put("score_output", s));
        return o;
    }
}
