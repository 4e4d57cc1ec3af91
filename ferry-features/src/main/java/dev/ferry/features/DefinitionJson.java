package dev.ferry.features;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.InvalidInputException;
import dev.ferry.types.FeatureType;
import dev.ferry.types.Field;
import dev.ferry.types.ScalarType;
import dev.ferry.types.Schema;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The JSON form of definitions in the registry; field names match the YAML keys. */
final class DefinitionJson {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private DefinitionJson() {
    }

    static ObjectNode entity(Entity e) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("name", e.name());
        ObjectNode keys = n.putObject("join_keys");
        e.joinKeys().forEach(k -> keys.put(k.name(), k.type().id()));
        n.put("description", e.description());
        return n;
    }

    static Entity entity(JsonNode n) {
        List<JoinKey> keys = new ArrayList<>();
        n.get("join_keys").properties().forEach(p -> keys.add(new JoinKey(p.getKey(), ScalarType.parse(p.getValue().asText()))));
        return new Entity(n.get("name").asText(), keys, n.path("description").asText(""));
    }

    static ObjectNode view(FeatureView v) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("name", v.name());
        ArrayNode ents = n.putArray("entities");
        v.entities().forEach(ents::add);
        ObjectNode feats = n.putObject("features");
        v.schema().fields().forEach(f -> feats.put(f.name(), f.type().toString()));
        n.set("source", source(v.source()));
        n.put("event_time", v.eventTimeColumn());
        v.createdTimeColumn().ifPresent(c -> n.put("created_time", c));
        v.maxAge().ifPresent(d -> n.put("max_age_seconds", d.toMillis() / 1000.0));
        n.put("online", v.online());
        ObjectNode tags = n.putObject("tags");
        new TreeMap<>(v.tags()).forEach(tags::put);
        n.put("description", v.description());
        return n;
    }

    static FeatureView view(JsonNode n) {
        List<String> entities = new ArrayList<>();
        n.get("entities").forEach(e -> entities.add(e.asText()));
        List<Field> fields = new ArrayList<>();
        n.get("features").properties().forEach(p -> fields.add(Field.of(p.getKey(), FeatureType.parse(p.getValue().asText()))));
        Map<String, String> tags = new LinkedHashMap<>();
        n.path("tags").properties().forEach(p -> tags.put(p.getKey(), p.getValue().asText()));
        Optional<Duration> maxAge = n.has("max_age_seconds")
                ? Optional.of(Duration.ofMillis(Math.round(n.get("max_age_seconds").asDouble() * 1000))) : Optional.empty();
        return new FeatureView(n.get("name").asText(), entities, Schema.of(fields), source(n.get("source")),
                n.get("event_time").asText(), Optional.ofNullable(n.get("created_time")).map(JsonNode::asText),
                maxAge, n.path("online").asBoolean(true), tags, n.path("description").asText(""));
    }

    static ObjectNode source(Source s) {
        ObjectNode n = MAPPER.createObjectNode();
        switch (s) {
            case ParquetSource p -> n.put("parquet", p.path().toString());
            case CsvSource c -> {
                n.put("csv", c.path().toString());
                n.put("delimiter", String.valueOf(c.delimiter()));
            }
            case PostgresSource pg -> {
                ObjectNode p = n.putObject("postgres");
                p.put("url", pg.jdbcUrl());
                pg.table().ifPresent(t -> p.put("table", t));
                pg.query().ifPresent(q -> p.put("query", q));
                pg.user().ifPresent(u -> p.put("user", u));
                pg.passwordEnv().ifPresent(e -> p.put("password_env", e));
            }
        }
        return n;
    }

    static Source source(JsonNode n) {
        if (n.has("parquet")) {
            return new ParquetSource(Path.of(n.get("parquet").asText()));
        }
        if (n.has("csv")) {
            return new CsvSource(Path.of(n.get("csv").asText()), n.path("delimiter").asText(",").charAt(0));
        }
        if (n.has("postgres")) {
            JsonNode p = n.get("postgres");
            return new PostgresSource(p.get("url").asText(), text(p, "table"), text(p, "query"), text(p, "user"), text(p, "password_env"));
        }
        throw new InvalidInputException("registry source was " + n + " but it must have parquet, csv or postgres");
    }

    private static Optional<String> text(JsonNode n, String key) {
        return n.has(key) ? Optional.of(n.get(key).asText()) : Optional.empty();
    }

    static ObjectNode service(FeatureService s) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("name", s.name());
        ArrayNode refs = n.putArray("features");
        s.features().forEach(r -> refs.add(r.toString()));
        n.put("description", s.description());
        return n;
    }

    static FeatureService service(JsonNode n) {
        List<FeatureRef> refs = new ArrayList<>();
        n.get("features").forEach(r -> refs.add(FeatureRef.parse(r.asText())));
        return new FeatureService(n.get("name").asText(), refs, n.path("description").asText(""));
    }
}
