package dev.ferry.online;

import dev.ferry.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The identity of one entity in the online store: its join-key values in the order the feature
 * view declares them. Each value is a string or an integral number (an {@code Integer} is the same
 * key as the equal {@code Long}, so callers need not care which one their JSON parser produced;
 * the string {@code "42"} is a different key from the number 42).
 *
 * <p>{@link #canonical()} is the one encoding every store uses to lay out keys. It contains no
 * {@code |}, <code>{</code> or <code>}</code> inside a value, so it can be embedded in a Redis hash tag.
 */
public final class EntityKey {

    private final List<Object> values;
    private final String canonical;

    private EntityKey(List<Object> values, String canonical) {
        this.values = values;
        this.canonical = canonical;
    }

    /** A key of one or more join-key values; each must be a String, Integer or Long. */
    public static EntityKey of(Object... values) {
        if (values == null || values.length == 0) {
            throw new InvalidInputException("entity key was empty but it must have at least one join-key value");
        }
        return of(Arrays.asList(values));
    }

    /** A key of one or more join-key values; each must be a String, Integer or Long. */
    public static EntityKey of(List<?> values) {
        if (values == null || values.isEmpty()) {
            throw new InvalidInputException("entity key was empty but it must have at least one join-key value");
        }
        if (values.size() == 1 && (values.getFirst() instanceof Long || values.getFirst() instanceof Integer)) {
            // the most common key, one integer, without the general path's builder and lists
            long n = ((Number) values.getFirst()).longValue();
            return new EntityKey(List.of(n), "i" + n);
        }
        List<Object> normalized = new ArrayList<>(values.size());
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < values.size(); i++) {
            Object v = values.get(i);
            if (i > 0) {
                sb.append('|');
            }
            if (v instanceof Integer n) {
                v = n.longValue();
            }
            if (v instanceof Long n) {
                sb.append('i').append(n);
            } else if (v instanceof String s) {
                sb.append('s');
                escape(s, sb);
            } else {
                throw new InvalidInputException("entity key value " + i + " was "
                        + (v == null ? "null" : "'" + v + "' of type " + v.getClass().getName())
                        + " but it must be a String, Integer or Long");
            }
            normalized.add(v);
        }
        return new EntityKey(List.copyOf(normalized), sb.toString());
    }

    /** Parses the output of {@link #canonical()}. */
    public static EntityKey parse(String canonical) {
        if (canonical == null || canonical.isEmpty()) {
            throw new InvalidInputException("entity key text was empty but it must look like 'i42|sabc'");
        }
        List<Object> parts = new ArrayList<>();
        for (String part : canonical.split("\\|", -1)) {
            if (part.isEmpty()) {
                throw new InvalidInputException("entity key text was '" + canonical + "' but it has an empty part");
            }
            char tag = part.charAt(0);
            String body = part.substring(1);
            if (tag == 'i') {
                try {
                    parts.add(Long.parseLong(body));
                } catch (NumberFormatException e) {
                    throw new InvalidInputException("entity key text was '" + canonical
                            + "' but part '" + part + "' is not an integer", e);
                }
            } else if (tag == 's') {
                parts.add(unescape(body, canonical));
            } else {
                throw new InvalidInputException("entity key text was '" + canonical
                        + "' but part '" + part + "' does not start with 'i' or 's'");
            }
        }
        return of(parts);
    }

    /** The join-key values, with integers as Long. */
    public List<Object> values() {
        return values;
    }

    /** The canonical text form, e.g. {@code i42|sFR}. Equal keys have equal canonical forms. */
    public String canonical() {
        return canonical;
    }

    /** UTF-8 bytes of {@link #canonical()}. */
    public byte[] canonicalBytes() {
        return canonical.getBytes(StandardCharsets.UTF_8);
    }

    // Percent-escapes the separator, the hash-tag braces, '%' itself and control characters, so
    // the canonical form is unambiguous and safe inside a Redis key's hash tag.
    private static void escape(String s, StringBuilder sb) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' || c == '|' || c == '{' || c == '}' || c < 0x20 || c == 0x7f) {
                sb.append('%').append(Character.forDigit(c >> 4 & 0xf, 16)).append(Character.forDigit(c & 0xf, 16));
            } else {
                sb.append(c);
            }
        }
    }

    private static String unescape(String s, String whole) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    throw new InvalidInputException("entity key text was '" + whole + "' but it ends inside an escape");
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw new InvalidInputException("entity key text was '" + whole + "' but it has a bad escape at " + i);
                }
                sb.append((char) (hi << 4 | lo));
                i += 2;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EntityKey k && k.canonical.equals(canonical);
    }

    @Override
    public int hashCode() {
        return canonical.hashCode();
    }

    @Override
    public String toString() {
        return canonical;
    }
}
