package dev.ferry.monitoring.outcome;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a raw record into an {@link Outcome} or a {@link Rejection} naming the field, the value
 * and what was expected. Times may be instants, SQL timestamps, local date-times (read as UTC) or
 * ISO-8601 text ({@code 2024-05-01T10:00:00Z} or {@code 2024-05-01 10:00:00}).
 */
final class OutcomeParser {

    private static final DateTimeFormatter SPACED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSSSSS][.SSS]");

    private final OutcomeSchema schema;

    OutcomeParser(OutcomeSchema schema) {
        this.schema = schema;
    }

    /** Either an outcome or a rejection, never both. */
    record Parsed(Outcome outcome, Rejection rejection) {
    }

    Parsed parse(SourceRow row) {
        if (row.values() == null) {
            return reject(row, "$", row.problem(), "a JSON object");
        }
        Map<String, Object> v = row.values();
        Optional<String> id = Optional.empty();
        if (schema.requestIdField().isPresent()) {
            String f = schema.requestIdField().get();
            Object raw = v.get(f);
            if (raw == null || raw.toString().isBlank()) {
                return reject(row, f, shown(raw), "a non-empty request id is expected");
            }
            id = Optional.of(raw.toString());
        }
        Map<String, Object> entity = new LinkedHashMap<>();
        for (String f : schema.entityFields()) {
            Object raw = v.get(f);
            if (raw == null && id.isEmpty()) {
                return reject(row, f, shown(null), "an entity key is expected");
            }
            if (raw != null) {
                entity.put(f, raw);
            }
        }
        Optional<Instant> at = Optional.empty();
        if (schema.timeField().isPresent()) {
            String f = schema.timeField().get();
            Object raw = v.get(f);
            if (raw == null && id.isEmpty()) {
                return reject(row, f, shown(null), "a timestamp is expected");
            }
            if (raw != null) {
                Instant t = time(raw);
                if (t == null) {
                    return reject(row, f, shown(raw), "a timestamp (ISO-8601 or yyyy-MM-dd HH:mm:ss, UTC) is expected");
                }
                at = Optional.of(t);
            }
        }
        String lf = schema.labelField();
        Object raw = v.get(lf);
        Double label = schema.labelKind() == LabelKind.BINARY ? binary(raw) : numeric(raw);
        if (label == null) {
            String expected = schema.labelKind() == LabelKind.BINARY
                    ? "a binary label (0, 1, true or false) is expected"
                    : "a finite number is expected";
            return reject(row, lf, shown(raw), expected);
        }
        return new Parsed(new Outcome(id, entity, at, label), null);
    }

    private static Parsed reject(SourceRow row, String field, String value, String expected) {
        return new Parsed(null, new Rejection(row.position(), field, value, expected));
    }

    private static String shown(Object raw) {
        if (raw == null) {
            return "(missing)";
        }
        return raw instanceof CharSequence ? "'" + raw + "'" : raw + " (" + raw.getClass().getSimpleName() + ")";
    }

    static Double binary(Object raw) {
        if (raw instanceof Boolean b) {
            return b ? 1.0 : 0.0;
        }
        if (raw instanceof Number n) {
            double d = n.doubleValue();
            return d == 0.0 || d == 1.0 ? d : null;
        }
        if (raw instanceof String s) {
            return switch (s.trim().toLowerCase(Locale.ROOT)) {
                case "0", "false" -> 0.0;
                case "1", "true" -> 1.0;
                default -> null;
            };
        }
        return null;
    }

    static Double numeric(Object raw) {
        double d;
        if (raw instanceof Number n) {
            d = n.doubleValue();
        } else if (raw instanceof String s) {
            try {
                d = Double.parseDouble(s.trim());
            } catch (NumberFormatException e) {
                return null;
            }
        } else {
            return null;
        }
        return Double.isFinite(d) ? d : null;
    }

    static Instant time(Object raw) {
        return switch (raw) {
            case Instant i -> i;
            case java.sql.Timestamp ts -> ts.toLocalDateTime().toInstant(ZoneOffset.UTC);
            case LocalDateTime ldt -> ldt.toInstant(ZoneOffset.UTC);
            case OffsetDateTime odt -> odt.toInstant();
            case java.util.Date d -> d.toInstant();
            case LocalDate ld -> ld.atStartOfDay().toInstant(ZoneOffset.UTC);
            case String s -> text(s.trim());
            default -> null;
        };
    }

    private static Instant text(String s) {
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(s).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e2) {
                try {
                    return LocalDateTime.parse(s, SPACED).toInstant(ZoneOffset.UTC);
                } catch (DateTimeParseException e3) {
                    return null;
                }
            }
        }
    }
}
