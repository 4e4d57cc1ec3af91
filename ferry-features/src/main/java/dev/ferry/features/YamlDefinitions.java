package dev.ferry.features;

import dev.ferry.FerryException;
import dev.ferry.types.FeatureType;
import dev.ferry.types.ScalarType;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads one YAML file of definitions into a {@link FeatureRepository.Builder}. It works on the
 * node tree rather than bound objects so that every problem carries the line it was found on,
 * and it keeps going after a problem so that one run reports all of them.
 */
final class YamlDefinitions {

    private static final Set<String> TOP = Set.of("entities", "sources", "views", "services");
    private static final Set<String> ENTITY_KEYS = Set.of("name", "join_keys", "description");
    private static final Set<String> VIEW_KEYS = Set.of("name", "entities", "features", "source", "event_time",
            "created_time", "max_age", "online", "tags", "description");
    private static final Set<String> SERVICE_KEYS = Set.of("name", "features", "description");
    private static final Set<String> SOURCE_KEYS = Set.of("name", "parquet", "csv", "delimiter", "postgres");
    private static final Set<String> PG_KEYS = Set.of("url", "table", "query", "user", "password_env");

    private final Path file;
    private final String fileName;
    private final FeatureRepository.Builder out;
    private final Map<String, Source> namedSources = new HashMap<>();
    private final List<PendingView> pendingViews = new ArrayList<>();

    private YamlDefinitions(Path file, FeatureRepository.Builder out) {
        this.file = file;
        this.fileName = file.toString();
        this.out = out;
    }

    static void read(Path file, FeatureRepository.Builder out) {
        new YamlDefinitions(file, out).read();
    }

    private void read() {
        Node root;
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            root = new Yaml(new LoaderOptions()).compose(r);
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
            out.problem(new Problem(fileName, line, "is not valid YAML: " + e.getProblem()));
            return;
        } catch (YAMLException e) {
            out.problem(new Problem(fileName, 0, "is not valid YAML: " + e.getMessage()));
            return;
        } catch (IOException e) {
            out.problem(new Problem(fileName, 0, "could not be read: " + e.getMessage()));
            return;
        }
        if (root == null) {
            return;
        }
        MappingNode top = mapping(root, "the document");
        if (top == null) {
            return;
        }
        Map<String, Node> sections = fields(top, TOP, "the document");
        // Sources first: views refer to them by name wherever they are written in the file.
        each(sections.get("sources"), "sources", this::readNamedSource);
        each(sections.get("entities"), "entities", this::readEntity);
        each(sections.get("views"), "views", this::readView);
        each(sections.get("services"), "services", this::readService);
        pendingViews.forEach(PendingView::finish);
    }

    private void each(Node section, String what, java.util.function.Consumer<MappingNode> reader) {
        if (section == null) {
            return;
        }
        if (!(section instanceof SequenceNode seq)) {
            problem(section, what + " must be a list");
            return;
        }
        for (Node item : seq.getValue()) {
            MappingNode m = mapping(item, "an entry of " + what);
            if (m != null) {
                reader.accept(m);
            }
        }
    }

    private void readEntity(MappingNode node) {
        Map<String, Node> f = fields(node, ENTITY_KEYS, "entity");
        String name = name(f, node, "entity");
        if (name == null) {
            return;
        }
        List<JoinKey> keys = new ArrayList<>();
        Node keysNode = f.get("join_keys");
        if (keysNode == null) {
            problem(node, "entity '" + name + "' has no join_keys; expected a mapping such as {customer_id: int64}");
            return;
        }
        MappingNode km = mapping(keysNode, "join_keys of entity '" + name + "'");
        if (km == null) {
            return;
        }
        boolean ok = true;
        for (NodeTuple t : km.getValue()) {
            String key = scalar(t.getKeyNode());
            String type = scalar(t.getValueNode());
            try {
                keys.add(new JoinKey(key, ScalarType.parse(type)));
            } catch (FerryException e) {
                problem(t.getValueNode(), "entity '" + name + "' join key '" + key + "': " + e.getMessage());
                ok = false;
            }
        }
        if (ok) {
            try {
                out.addEntity(new Entity(name, keys, text(f.get("description"))), origin(node));
            } catch (FerryException e) {
                problem(node, e.getMessage());
            }
        }
    }

    private void readNamedSource(MappingNode node) {
        Map<String, Node> f = fields(node, SOURCE_KEYS, "source");
        String name = name(f, node, "source");
        if (name == null) {
            return;
        }
        Source s = source(node, f, "source '" + name + "'");
        if (s != null) {
            if (namedSources.putIfAbsent(name, s) != null) {
                problem(node, "source '" + name + "' is defined more than once in this file; names must be unique");
            }
        }
    }

    private Source source(Node node, Map<String, Node> f, String what) {
        List<String> kinds = new ArrayList<>();
        for (String k : List.of("parquet", "csv", "postgres")) {
            if (f.containsKey(k)) {
                kinds.add(k);
            }
        }
        if (kinds.size() != 1) {
            problem(node, what + " must have exactly one of parquet, csv or postgres but had " + kinds);
            return null;
        }
        try {
            return switch (kinds.get(0)) {
                case "parquet" -> new ParquetSource(resolve(text(f.get("parquet"))));
                case "csv" -> {
                    String d = text(f.get("delimiter"));
                    if (d.length() > 1) {
                        problem(f.get("delimiter"), what + " delimiter was '" + d + "' but it must be one character");
                    }
                    yield new CsvSource(resolve(text(f.get("csv"))), d.isEmpty() ? ',' : d.charAt(0));
                }
                default -> {
                    MappingNode pm = mapping(f.get("postgres"), what + " postgres");
                    if (pm == null) {
                        yield null;
                    }
                    Map<String, Node> p = fields(pm, PG_KEYS, what + " postgres");
                    yield new PostgresSource(text(p.get("url")), opt(p.get("table")), opt(p.get("query")),
                            opt(p.get("user")), opt(p.get("password_env")));
                }
            };
        } catch (FerryException e) {
            problem(node, what + ": " + e.getMessage());
            return null;
        }
    }

    private Path resolve(String path) {
        if (path.isEmpty()) {
            throw new dev.ferry.InvalidInputException("path was empty but a file path is expected");
        }
        Path p = Path.of(path);
        Path dir = file.toAbsolutePath().getParent();
        return p.isAbsolute() || dir == null ? p : dir.resolve(p).normalize();
    }

    private void readView(MappingNode node) {
        Map<String, Node> f = fields(node, VIEW_KEYS, "view");
        String name = name(f, node, "view");
        if (name == null) {
            return;
        }
        String what = "view '" + name + "'";
        FeatureView.Builder b = FeatureView.builder(name);
        boolean ok = true;
        Node ents = f.get("entities");
        if (ents instanceof SequenceNode seq) {
            for (Node e : seq.getValue()) {
                String entity = scalar(e);
                b.entity(entity);
                out.origin("view:" + name + ".entity:" + entity, origin(e));
            }
        } else {
            problem(ents == null ? node : ents, what + " entities must be a list of entity names");
            ok = false;
        }
        Node feats = f.get("features");
        MappingNode fm = feats == null ? null : mapping(feats, what + " features");
        if (fm == null) {
            if (feats == null) {
                problem(node, what + " has no features; expected a mapping of feature name to type");
            }
            ok = false;
        } else {
            Set<String> seen = new java.util.HashSet<>();
            for (NodeTuple t : fm.getValue()) {
                String feature = scalar(t.getKeyNode());
                String type = scalar(t.getValueNode());
                out.origin("view:" + name + ".feature:" + feature, origin(t.getKeyNode()));
                try {
                    if (!seen.add(feature)) {
                        problem(t.getKeyNode(), what + " feature '" + feature + "' is listed more than once");
                        ok = false;
                        continue;
                    }
                    b.feature(feature, FeatureType.parse(type));
                } catch (FerryException e) {
                    problem(t.getValueNode(), what + " feature '" + feature + "': " + e.getMessage());
                    ok = false;
                }
            }
        }
        Node src = f.get("source");
        Source source = null;
        if (src == null) {
            problem(node, what + " has no source; expected a source name or {parquet: path}");
            ok = false;
        } else if (src instanceof ScalarNode s) {
            String ref = s.getValue();
            pendingViews.add(new PendingView(b, node, name, ref, src));
        } else {
            MappingNode sm = mapping(src, what + " source");
            source = sm == null ? null : source(src, fields(sm, SOURCE_KEYS, what + " source"), what + " source");
            ok &= source != null;
        }
        out.origin("view:" + name + ".source", origin(src == null ? node : src));
        if (f.containsKey("event_time")) {
            b.eventTime(text(f.get("event_time")));
            out.origin("view:" + name + ".event_time", origin(f.get("event_time")));
        }
        if (f.containsKey("created_time")) {
            b.createdTime(text(f.get("created_time")));
            out.origin("view:" + name + ".created_time", origin(f.get("created_time")));
        }
        if (f.containsKey("max_age")) {
            try {
                b.maxAge(Durations.parse(text(f.get("max_age"))));
            } catch (FerryException e) {
                problem(f.get("max_age"), what + " max_age: " + e.getMessage());
                ok = false;
            }
        }
        if (f.containsKey("online")) {
            String v = text(f.get("online"));
            if (!v.equals("true") && !v.equals("false")) {
                problem(f.get("online"), what + " online was '" + v + "' but it must be true or false");
                ok = false;
            }
            b.online(Boolean.parseBoolean(v));
        }
        if (f.containsKey("tags")) {
            MappingNode tm = mapping(f.get("tags"), what + " tags");
            if (tm != null) {
                for (NodeTuple t : tm.getValue()) {
                    b.tag(scalar(t.getKeyNode()), scalar(t.getValueNode()));
                }
            }
        }
        b.description(text(f.get("description")));
        if (source != null) {
            b.source(source);
        }
        if (!ok) {
            return;
        }
        if (src instanceof ScalarNode) {
            pendingViews.get(pendingViews.size() - 1).ready = true;
        } else {
            add(b, node, name);
        }
    }

    private void add(FeatureView.Builder b, Node node, String name) {
        try {
            out.addView(b.build(), origin(node));
        } catch (FerryException e) {
            problem(node, e.getMessage());
        }
    }

    private void readService(MappingNode node) {
        Map<String, Node> f = fields(node, SERVICE_KEYS, "service");
        String name = name(f, node, "service");
        if (name == null) {
            return;
        }
        Node feats = f.get("features");
        if (!(feats instanceof SequenceNode seq)) {
            problem(feats == null ? node : feats, "service '" + name + "' features must be a list of view:feature or view entries");
            return;
        }
        List<FeatureRef> refs = new ArrayList<>();
        boolean ok = true;
        for (Node item : seq.getValue()) {
            try {
                FeatureRef ref = FeatureRef.parse(scalar(item));
                refs.add(ref);
                out.origin("service:" + name + ".ref:" + ref, origin(item));
            } catch (FerryException e) {
                problem(item, "service '" + name + "': " + e.getMessage());
                ok = false;
            }
        }
        if (ok) {
            try {
                out.addService(new FeatureService(name, refs, text(f.get("description"))), origin(node));
            } catch (FerryException e) {
                problem(node, e.getMessage());
            }
        }
    }

    /** A view whose source is a name, resolved once every source of the file is known. */
    private final class PendingView {
        final FeatureView.Builder builder;
        final Node node;
        final String name;
        final String sourceRef;
        final Node refNode;
        boolean ready;

        PendingView(FeatureView.Builder builder, Node node, String name, String sourceRef, Node refNode) {
            this.builder = builder;
            this.node = node;
            this.name = name;
            this.sourceRef = sourceRef;
            this.refNode = refNode;
        }

        void finish() {
            Source s = namedSources.get(sourceRef);
            if (s == null) {
                problem(refNode, "view '" + name + "' source '" + sourceRef + "' is not defined; sources in this file: "
                        + new java.util.TreeSet<>(namedSources.keySet()));
                return;
            }
            if (ready) {
                builder.source(s);
                add(builder, node, name);
            }
        }
    }

    private String name(Map<String, Node> f, Node node, String kind) {
        Node n = f.get("name");
        String name = n == null ? null : scalar(n);
        if (name == null || !Names.valid(name)) {
            problem(n == null ? node : n, kind + " name was '" + name + "' but it must start with a letter or '_' and contain only letters, digits and '_'");
            return null;
        }
        return name;
    }

    private Map<String, Node> fields(MappingNode node, Set<String> allowed, String what) {
        Map<String, Node> m = new LinkedHashMap<>();
        for (NodeTuple t : node.getValue()) {
            String key = scalar(t.getKeyNode());
            if (!allowed.contains(key)) {
                problem(t.getKeyNode(), what + " has an unknown key '" + key + "'; expected one of " + new java.util.TreeSet<>(allowed));
            } else if (m.put(key, t.getValueNode()) != null) {
                problem(t.getKeyNode(), what + " has the key '" + key + "' more than once");
            }
        }
        return m;
    }

    private MappingNode mapping(Node node, String what) {
        if (node instanceof MappingNode m) {
            return m;
        }
        problem(node, what + " must be a mapping (key: value)");
        return null;
    }

    private static String scalar(Node node) {
        return node instanceof ScalarNode s ? s.getValue() : null;
    }

    private static String text(Node node) {
        String s = node == null ? null : scalar(node);
        return s == null ? "" : s;
    }

    private static Optional<String> opt(Node node) {
        String s = node == null ? null : scalar(node);
        return s == null || s.isEmpty() ? Optional.empty() : Optional.of(s);
    }

    private Origin origin(Node node) {
        return new Origin(fileName, node.getStartMark().getLine() + 1);
    }

    private void problem(Node node, String message) {
        out.problem(Problem.at(origin(node), message));
    }
}
