package dev.ferry.monitoring.profile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.tdunning.math.stats.MergingDigest;
import dev.ferry.InvalidInputException;
import dev.ferry.NotFoundException;
import dev.ferry.UnavailableException;
import dev.ferry.types.FeatureType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stored form of a {@link DatasetProfile}: JSON with a {@code formatVersion}, plain numbers
 * for counts and moments, and the sketches as base64 (HyperLogLog registers, t-digest
 * verbose encoding with double-precision centroids). A document of another format version is refused, naming the version found and the
 * one this Ferry reads. Files are written to a temporary name and moved into place.
 */
public final class ProfileJson {

    /** The format version this Ferry writes and reads. */
    public static final int FORMAT_VERSION = 1;

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Base64.Encoder B64 = Base64.getEncoder();
    private static final Base64.Decoder B64D = Base64.getDecoder();

    private ProfileJson() {
    }

    public static String write(DatasetProfile profile) {
        try {
            return MAPPER.writeValueAsString(toTree(profile));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("profile could not be written as JSON", e);
        }
    }

    public static ObjectNode toTree(DatasetProfile profile) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("formatVersion", FORMAT_VERSION);
        root.put("rowCount", profile.rowCount());
        ArrayNode features = root.putArray("features");
        for (FeatureProfile f : profile.features()) {
            ObjectNode n = features.addObject();
            n.put("name", f.name());
            n.put("type", f.type().toString());
            n.put("count", f.count());
            n.put("nullCount", f.nullCount());
            n.put("invalidCount", f.invalidCount());
            n.put("distinctEstimate", f.distinctCount());
            n.put("hll", B64.encodeToString(f.distinctSketch().toBytes()));
            f.numeric().ifPresent(s -> {
                ObjectNode num = n.putObject("numeric");
                num.put("count", s.count());
                putDouble(num, "min", s.min());
                putDouble(num, "max", s.max());
                putDouble(num, "mean", s.mean());
                num.put("m2", s.m2());
                byte[] d = f.digestBytes();
                if (d != null) {
                    num.put("tdigest", B64.encodeToString(d));
                }
            });
            FrequentValues fv = f.frequentSketch();
            if (fv != null) {
                ObjectNode fr = n.putObject("frequent");
                fr.put("capacity", fv.capacity());
                fr.put("maxError", fv.maxError());
                ObjectNode counts = fr.putObject("counts");
                fv.sorted().forEach(counts::put);
            }
        }
        return root;
    }

    private static void putDouble(ObjectNode n, String key, double v) {
        if (Double.isNaN(v)) {
            n.putNull(key);
        } else {
            n.put(key, v);
        }
    }

    public static DatasetProfile read(String json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("profile is not valid JSON: " + e.getOriginalMessage());
        }
        return fromTree(root);
    }

    public static DatasetProfile fromTree(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new InvalidInputException("profile must be a JSON object with formatVersion, rowCount and features");
        }
        JsonNode v = root.get("formatVersion");
        if (v == null || !v.canConvertToInt()) {
            throw new InvalidInputException("profile formatVersion was " + v + " but it must be the number " + FORMAT_VERSION);
        }
        if (v.asInt() != FORMAT_VERSION) {
            throw new InvalidInputException("profile formatVersion was " + v.asInt() + " but this Ferry reads version "
                    + FORMAT_VERSION + " only; profile it again with this version or read it with the Ferry that wrote it");
        }
        long rows = requireLong(root, "rowCount", "profile");
        JsonNode feats = root.get("features");
        if (feats == null || !feats.isArray()) {
            throw new InvalidInputException("profile features was " + feats + " but it must be an array");
        }
        List<FeatureProfile> out = new ArrayList<>();
        for (JsonNode n : feats) {
            out.add(feature(n));
        }
        return new DatasetProfile(rows, out);
    }

    private static FeatureProfile feature(JsonNode n) {
        String name = n.path("name").asText(null);
        if (name == null || name.isEmpty()) {
            throw new InvalidInputException("profile feature name was " + n.get("name") + " but it must be a non-empty string");
        }
        String where = "profile of feature '" + name + "'";
        FeatureType type;
        try {
            type = FeatureType.parse(n.path("type").asText(null));
        } catch (InvalidInputException e) {
            throw new InvalidInputException(where + ": " + e.getMessage(), e);
        }
        long count = requireLong(n, "count", where);
        long nulls = requireLong(n, "nullCount", where);
        long invalid = requireLong(n, "invalidCount", where);
        HyperLogLog hll = HyperLogLog.fromBytes(name, base64(n, "hll", where));
        NumericSummary num = null;
        MergingDigest digest = null;
        JsonNode nn = n.get("numeric");
        if (nn != null) {
            num = new NumericSummary(requireLong(nn, "count", where + " numeric"), dbl(nn, "min"), dbl(nn, "max"),
                    dbl(nn, "mean"), nn.path("m2").asDouble());
            if (nn.has("tdigest")) {
                try {
                    digest = MergingDigest.fromBytes(ByteBuffer.wrap(base64(nn, "tdigest", where)));
                } catch (RuntimeException e) {
                    throw new InvalidInputException(where + ": tdigest is not a t-digest encoding (" + e + ")");
                }
            }
        }
        FrequentValues fv = null;
        JsonNode fr = n.get("frequent");
        if (fr != null) {
            Map<String, Long> counts = new LinkedHashMap<>();
            fr.path("counts").properties().forEach(e -> counts.put(e.getKey(), e.getValue().asLong()));
            fv = new FrequentValues((int) requireLong(fr, "capacity", where + " frequent"), counts, requireLong(fr, "maxError", where + " frequent"));
        }
        return new FeatureProfile(name, type, count, nulls, invalid, hll, num, digest, fv);
    }

    private static double dbl(JsonNode n, String key) {
        JsonNode v = n.get(key);
        return v == null || v.isNull() ? Double.NaN : v.asDouble();
    }

    private static byte[] base64(JsonNode n, String key, String where) {
        JsonNode v = n.get(key);
        if (v == null || !v.isTextual()) {
            throw new InvalidInputException(where + ": " + key + " was " + v + " but it must be a base64 string");
        }
        try {
            return B64D.decode(v.asText());
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(where + ": " + key + " is not valid base64 (" + e.getMessage() + ")");
        }
    }

    private static long requireLong(JsonNode n, String key, String where) {
        JsonNode v = n.get(key);
        if (v == null || !v.canConvertToLong() || v.asLong() < 0) {
            throw new InvalidInputException(where + ": " + key + " was " + v + " but it must be a non-negative integer");
        }
        return v.asLong();
    }

    /** Writes {@code profile} to {@code file} through a temporary file and an atomic move. */
    public static void writeFile(DatasetProfile profile, Path file) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".profile", ".tmp");
            try {
                Files.writeString(tmp, write(profile));
                try {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UnavailableException("profile could not be written to " + file + ": " + e.getMessage(), e);
        }
    }

    public static DatasetProfile readFile(Path file) {
        try {
            return read(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new NotFoundException("profile file " + file + " does not exist");
        } catch (IOException e) {
            throw new UnavailableException("profile file " + file + " could not be read: " + e.getMessage(), e);
        } catch (InvalidInputException e) {
            throw new InvalidInputException(file + ": " + e.getMessage(), e);
        }
    }
}
