package dev.ferry.registry.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.ferry.FerryException;
import dev.ferry.InvalidInputException;
import dev.ferry.model.InputLayout;
import dev.ferry.model.ModelFormat;
import dev.ferry.model.ModelSignature;
import dev.ferry.registry.AliasEvent;
import dev.ferry.registry.GoldenExample;
import dev.ferry.registry.ModelVersion;
import dev.ferry.registry.Provenance;
import dev.ferry.types.FeatureType;
import dev.ferry.types.ScalarType;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The persisted JSON form of registry records ({@link ModelVersion}, {@link AliasEvent} and the
 * signatures, provenance and golden examples inside them). Every document carries a
 * {@code formatVersion}; a reader refuses a version it does not know, so an old Ferry never
 * misreads a registry written by a newer one. Both registry backends store exactly this form.
 */
public final class RegistryJson {

    /** The format version this code writes and the only one it reads. */
    public static final int FORMAT_VERSION = 1;

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .addModule(typesModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(JsonParser.Feature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    private RegistryJson() {
    }

    /** A mapper that reads and writes Ferry's core records the way the registry stores them. */
    public static ObjectMapper mapper() {
        return MAPPER.copy();
    }

    public static byte[] writeVersion(ModelVersion version) {
        return write(version);
    }

    /**
     * Reads a stored version. {@code source} names where the bytes came from (a file, a table
     * row) so a corrupt or too-new document can be found.
     */
    public static ModelVersion readVersion(byte[] json, String source) {
        return read(json, source, ModelVersion.class);
    }

    public static byte[] writeAliasEvent(AliasEvent event) {
        return write(event);
    }

    public static AliasEvent readAliasEvent(byte[] json, String source) {
        return read(json, source, AliasEvent.class);
    }

    public static byte[] writeSignature(ModelSignature signature) {
        return write(signature);
    }

    public static ModelSignature readSignature(byte[] json, String source) {
        return read(json, source, ModelSignature.class);
    }

    public static byte[] writeProvenance(Provenance provenance) {
        return write(provenance);
    }

    public static Provenance readProvenance(byte[] json, String source) {
        return read(json, source, Provenance.class);
    }

    /** Golden examples without an envelope; part of other documents, e.g. a registration spec. */
    public static List<GoldenExample> goldenFromTree(Object tree, String source) {
        try {
            return MAPPER.convertValue(tree, MAPPER.getTypeFactory().constructCollectionType(List.class, GoldenExample.class));
        } catch (IllegalArgumentException e) {
            throw invalid(source, e);
        }
    }

    /** Converts a loosely typed tree (parsed JSON or YAML) into a core record. */
    public static <T> T fromTree(Object tree, Class<T> type, String source) {
        try {
            return MAPPER.convertValue(tree, type);
        } catch (IllegalArgumentException e) {
            throw invalid(source, e);
        }
    }

    private static byte[] write(Object record) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("formatVersion", FORMAT_VERSION);
        root.setAll((ObjectNode) MAPPER.valueToTree(record));
        try {
            return MAPPER.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + record.getClass().getSimpleName() + " as JSON", e);
        }
    }

    private static <T> T read(byte[] json, String source, Class<T> type) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (IOException e) {
            throw new InvalidInputException(source + " is not valid JSON: " + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()), e);
        }
        if (root == null || !root.isObject()) {
            throw new InvalidInputException(source + " must hold a JSON object but holds " + (root == null ? "nothing" : root.getNodeType()));
        }
        JsonNode v = root.get("formatVersion");
        if (v == null || !v.canConvertToInt()) {
            throw new InvalidInputException(source + " has formatVersion " + v + " but it must have formatVersion " + FORMAT_VERSION);
        }
        if (v.intValue() != FORMAT_VERSION) {
            throw new InvalidInputException(source + " has formatVersion " + v.intValue() + " but this Ferry reads only formatVersion "
                    + FORMAT_VERSION + (v.intValue() > FORMAT_VERSION ? "; it was written by a newer Ferry" : ""));
        }
        ObjectNode body = ((ObjectNode) root).deepCopy();
        body.remove("formatVersion");
        try {
            return MAPPER.treeToValue(body, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw invalid(source, e);
        }
    }

    private static InvalidInputException invalid(String source, Exception e) {
        Throwable cause = e;
        while (cause.getCause() != null && !(cause instanceof FerryException)) {
            cause = cause.getCause();
        }
        String detail = cause instanceof FerryException ? cause.getMessage()
                : e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
        return new InvalidInputException(source + " is not a valid registry document: " + detail, e);
    }

    private static SimpleModule typesModule() {
        SimpleModule m = new SimpleModule("ferry-types");
        text(m, FeatureType.class, FeatureType::toString, FeatureType::parse);
        text(m, ScalarType.class, ScalarType::id, ScalarType::parse);
        text(m, ModelFormat.class, ModelFormat::id, ModelFormat::parse);
        text(m, InputLayout.class, l -> l.name().toLowerCase(Locale.ROOT), RegistryJson::layout);
        return m;
    }

    private static InputLayout layout(String text) {
        for (InputLayout l : InputLayout.values()) {
            if (l.name().equalsIgnoreCase(text.replace('-', '_'))) {
                return l;
            }
        }
        throw new InvalidInputException("layout was '" + text + "' but it must be one of packed, per_feature");
    }

    private static <T> void text(SimpleModule m, Class<T> type, Function<T, String> write, Function<String, T> read) {
        m.addSerializer(type, new JsonSerializer<T>() {
            @Override
            public void serialize(T value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
                gen.writeString(write.apply(value));
            }
        });
        m.addDeserializer(type, new JsonDeserializer<T>() {
            @Override
            public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                return read.apply(p.getValueAsString());
            }
        });
    }
}
