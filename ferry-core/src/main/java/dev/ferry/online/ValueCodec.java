package dev.ferry.online;

import dev.ferry.InvalidInputException;
import dev.ferry.ValidationFailedException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The compact, versioned binary form of one stored feature value with its event time, shared by
 * every persistent online store. Canonical values: Boolean, Integer, Long, Float, Double, String,
 * float[], double[], int[], long[] and null. A decoder refuses a version it does not know.
 *
 * <p>Layout of a value (version 1): {@code [version:1][event time:8][type:1][payload]}. The event
 * time is epoch microseconds, big-endian with the sign bit flipped, so that comparing the eight
 * bytes as unsigned bytes orders event times; the Redis store's server-side script relies on that.
 * Strings and arrays carry a varint length. An entity (many features) is
 * {@code [version:1][count:varint]} then per feature {@code [name length:varint][name UTF-8][value length:varint][value]}.
 */
public final class ValueCodec {

    /** The version this Ferry writes and the only one it reads. */
    public static final int VERSION = 1;
    /** Offset and length of the event time inside an encoded value. */
    public static final int EVENT_TIME_OFFSET = 1;
    public static final int EVENT_TIME_LENGTH = 8;

    private static final byte NULL = 0;
    private static final byte BOOLEAN = 1;
    private static final byte INT = 2;
    private static final byte LONG = 3;
    private static final byte FLOAT = 4;
    private static final byte DOUBLE = 5;
    private static final byte STRING = 6;
    private static final byte FLOAT_ARRAY = 7;
    private static final byte DOUBLE_ARRAY = 8;
    private static final byte INT_ARRAY = 9;
    private static final byte LONG_ARRAY = 10;

    // Big-endian views of a byte[]: the decoder reads straight from the stored bytes, no ByteBuffer per value.
    private static final java.lang.invoke.VarHandle INT_VIEW =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(int[].class, java.nio.ByteOrder.BIG_ENDIAN);
    private static final java.lang.invoke.VarHandle LONG_VIEW =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.BIG_ENDIAN);
    private static final java.lang.invoke.VarHandle FLOAT_VIEW =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(float[].class, java.nio.ByteOrder.BIG_ENDIAN);
    private static final java.lang.invoke.VarHandle DOUBLE_VIEW =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(double[].class, java.nio.ByteOrder.BIG_ENDIAN);

    private static final String SUPPORTED =
            "Boolean, Integer, Long, Float, Double, String, float[], double[], int[], long[] or null";

    private ValueCodec() {
    }

    /** Throws InvalidInputException naming the feature unless {@code value} is a canonical Ferry value. */
    public static void checkSupported(String feature, Object value) {
        if (!(value == null || value instanceof Boolean || value instanceof Integer || value instanceof Long
                || value instanceof Float || value instanceof Double || value instanceof String
                || value instanceof float[] || value instanceof double[] || value instanceof int[]
                || value instanceof long[])) {
            throw new InvalidInputException("feature '" + feature + "' value was '" + value + "' of type "
                    + value.getClass().getName() + " but it must be a " + SUPPORTED);
        }
    }

    /** Encodes one value with its event time. */
    public static byte[] encode(Object value, Instant eventTime) {
        // A string is turned into UTF-8 once; internally byte[] stands for "UTF-8 string".
        Object v = value instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : value;
        int size = 10 + payloadSize(v);
        ByteBuffer b = ByteBuffer.allocate(size);
        b.put((byte) VERSION);
        b.putLong(toMicros(eventTime) ^ Long.MIN_VALUE);
        writePayload(b, v);
        return b.array();
    }

    /** Decodes one value; refuses an unknown version or a truncated buffer. */
    public static StoredValue decode(byte[] bytes) {
        checkVersion(bytes, "value");
        try {
            need(EVENT_TIME_OFFSET, EVENT_TIME_LENGTH, bytes.length);
            Instant t = fromMicros((long) LONG_VIEW.get(bytes, EVENT_TIME_OFFSET) ^ Long.MIN_VALUE);
            return new StoredValue(readValue(bytes, EVENT_TIME_OFFSET + EVENT_TIME_LENGTH, bytes.length), t);
        } catch (RuntimeException e) {
            throw new ValidationFailedException("online value of " + bytes.length + " bytes is corrupt: " + e, e);
        }
    }

    /** The event time of an encoded value, without decoding the value. */
    public static Instant eventTime(byte[] bytes) {
        checkVersion(bytes, "value");
        return fromMicros(ByteBuffer.wrap(bytes, EVENT_TIME_OFFSET, EVENT_TIME_LENGTH).getLong() ^ Long.MIN_VALUE);
    }

    /** Encodes the features of one entity, each value already encoded by {@link #encode}. */
    public static byte[] encodeEntity(Map<String, byte[]> features) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 * features.size() + 8);
        out.write(VERSION);
        writeVarint(out, features.size());
        for (Map.Entry<String, byte[]> e : features.entrySet()) {
            byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
            writeVarint(out, name.length);
            out.writeBytes(name);
            writeVarint(out, e.getValue().length);
            out.writeBytes(e.getValue());
        }
        return out.toByteArray();
    }

    /** Decodes the output of {@link #encodeEntity}; values stay encoded so readers decode only what they need. */
    public static Map<String, byte[]> decodeEntity(byte[] bytes) {
        checkVersion(bytes, "entity");
        try {
            int end = bytes.length;
            long c = readVarint(bytes, 1, end);
            int n = (int) (c >>> 32);
            int p = (int) c;
            Map<String, byte[]> features = new LinkedHashMap<>(Math.max(4, Math.min(n, end) * 2));
            for (int i = 0; i < n; i++) {
                c = readVarint(bytes, p, end);
                p = (int) c;
                int nameLength = (int) (c >>> 32);
                need(p, nameLength, end);
                String name = new String(bytes, p, nameLength, StandardCharsets.UTF_8);
                c = readVarint(bytes, p + nameLength, end);
                p = (int) c;
                int valueLength = (int) (c >>> 32);
                need(p, valueLength, end);
                features.put(name, java.util.Arrays.copyOfRange(bytes, p, p + valueLength));
                p += valueLength;
            }
            checkEnd(p, end, n);
            return features;
        } catch (RuntimeException e) {
            throw new ValidationFailedException("online entity of " + bytes.length + " bytes is corrupt: " + e, e);
        }
    }

    /**
     * Decodes just the {@code wanted} features of an encoded entity, without building a map of all
     * of them: the answer holds one decoded value per wanted feature, in its order (a feature
     * wanted twice at both positions), null where the entity has none.
     */
    public static StoredValue[] decodeEntity(byte[] bytes, Wanted wanted) {
        FeatureValue[] found = decodeAnswer(bytes, wanted, Instant.EPOCH, OnlineStore.NO_MAX_AGE);
        java.util.List<String> features = wanted.features();
        StoredValue[] out = new StoredValue[features.size()];
        for (int i = 0; i < out.length; i++) {
            FeatureValue v = found[wanted.names().positionOf(features.get(i))];
            out[i] = v.status() == FeatureStatus.NOT_FOUND ? null : new StoredValue(v.value(), v.eventTime().orElseThrow());
        }
        return out;
    }

    /**
     * The read answer for the wanted features of an encoded entity, one per distinct wanted name
     * (see {@link Wanted#names()}), straight from the bytes: one pass over the entity, no map, no
     * intermediate value objects. Names are matched as UTF-8 bytes, trying the name after the last
     * match first (an entity is usually written and read in its view's feature order), else a
     * lookup. Features written together share one event time, so the time is decoded, and judged
     * against {@code maxAge} at {@code now}, once per distinct time, and its answers share one
     * {@code Optional<Instant>}. A value is decoded and checked even when too old, so corrupt
     * bytes fail the read whatever the clock says.
     */
    static FeatureValue[] decodeAnswer(byte[] bytes, Wanted wanted, Instant now, java.time.Duration maxAge) {
        return decodeAnswer(bytes, bytes == null ? 0 : bytes.length, wanted, now, maxAge);
    }

    /** As {@link #decodeAnswer(byte[], Wanted, Instant, java.time.Duration)} for an entity in {@code bytes[0, length)}. */
    static FeatureValue[] decodeAnswer(byte[] bytes, int length, Wanted wanted, Instant now, java.time.Duration maxAge) {
        checkVersion(bytes, length, "entity");
        int wantedCount = wanted.names().size();
        FeatureValue[] out = new FeatureValue[wantedCount];
        try {
            int end = length;
            long c = readVarint(bytes, 1, end);
            int n = (int) (c >>> 32);
            int p = (int) c;
            long freshFrom = FeatureValue.freshFromMicros(now, maxAge);
            int next = 0;
            long lastMicros = 0;
            java.util.Optional<Instant> time = null;
            boolean tooOld = false;
            FeatureValue stale = null;
            FeatureValue nullValue = null;
            for (int i = 0; i < n; i++) {
                c = readVarint(bytes, p, end);
                int nameLength = (int) (c >>> 32);
                int nameAt = (int) c;
                if (nameLength > end - nameAt) {
                    throw new IllegalArgumentException("name of feature " + i + " at byte " + nameAt + " has "
                            + nameLength + " bytes, past the end");
                }
                c = readVarint(bytes, nameAt + nameLength, end);
                int valueLength = (int) (c >>> 32);
                int valueAt = (int) c;
                if (valueLength > end - valueAt) {
                    throw new IllegalArgumentException("value of feature " + i + " at byte " + valueAt + " has "
                            + valueLength + " bytes, past the end");
                }
                p = valueAt + valueLength;
                int at = next < wantedCount && wanted.matches(next, bytes, nameAt, nameLength)
                        ? next : wanted.positionOf(bytes, nameAt, nameLength);
                if (at < 0) {
                    continue;
                }
                next = at + 1;
                if (valueLength < 1 + EVENT_TIME_LENGTH || (bytes[valueAt] & 0xff) != VERSION) {
                    throw new IllegalArgumentException("value at byte " + valueAt + " has " + valueLength
                            + " bytes and codec version " + (valueLength == 0 ? "none" : Integer.toString(bytes[valueAt] & 0xff))
                            + "; expected version " + VERSION);
                }
                long micros = (long) LONG_VIEW.get(bytes, valueAt + EVENT_TIME_OFFSET) ^ Long.MIN_VALUE;
                if (time == null || micros != lastMicros) {
                    Instant t = fromMicros(micros);
                    lastMicros = micros;
                    time = java.util.Optional.of(t);
                    // freshFromMicros saturates at the top of the micros range; Instant arithmetic is exact there
                    tooOld = freshFrom == Long.MAX_VALUE ? FeatureValue.isTooOld(t, now, maxAge) : micros < freshFrom;
                    stale = null;
                    nullValue = null;
                }
                Object value = readValue(bytes, valueAt + 1 + EVENT_TIME_LENGTH, p);
                if (tooOld) {
                    out[at] = stale != null ? stale : (stale = new FeatureValue(null, FeatureStatus.OUTSIDE_MAX_AGE, time));
                } else if (value == null) {
                    out[at] = nullValue != null ? nullValue : (nullValue = new FeatureValue(null, FeatureStatus.NULL_VALUE, time));
                } else {
                    out[at] = new FeatureValue(value, FeatureStatus.PRESENT, time);
                }
            }
            checkEnd(p, end, n);
        } catch (RuntimeException e) {
            throw new ValidationFailedException("online entity of " + length + " bytes is corrupt: " + e, e);
        }
        for (int i = 0; i < wantedCount; i++) {
            if (out[i] == null) {
                out[i] = FeatureValue.notFound();
            }
        }
        return out;
    }

    /**
     * The features a read wants, as UTF-8 bytes for {@link #decodeEntity(byte[], Wanted)}; build
     * once per read and share among its entities. Immutable.
     */
    public static final class Wanted {

        private final java.util.List<String> features;
        private final FeatureNames distinct;
        private final byte[][] names;
        // Open addressing over the UTF-8 names: a stored name is looked up without making a String of it.
        private final int[] slots;

        // Reads repeat the same feature lists (a model's, a service's): their Wanted is built once.
        private static final int CACHED = 1024;
        private static final java.util.concurrent.ConcurrentMap<java.util.List<String>, Wanted> CACHE =
                new java.util.concurrent.ConcurrentHashMap<>();

        /** The Wanted for {@code features}, shared with earlier reads of an equal list. */
        public static Wanted of(java.util.List<String> features) {
            Wanted w = CACHE.get(features);
            if (w == null) {
                w = new Wanted(java.util.List.copyOf(features));
                if (CACHE.size() >= CACHED) {
                    CACHE.clear(); // a bound, not an eviction policy: lists seen again are cached again
                }
                CACHE.putIfAbsent(w.features, w);
            }
            return w;
        }

        public Wanted(java.util.List<String> features) {
            this.features = features;
            distinct = FeatureNames.of(features);
            names = new byte[distinct.size()][];
            slots = new int[Integer.highestOneBit(Math.max(2, names.length) * 2 - 1) * 2];
            for (int i = 0; i < names.length; i++) {
                byte[] name = distinct.name(i).getBytes(StandardCharsets.UTF_8);
                names[i] = name;
                int s = hash(name, 0, name.length) & (slots.length - 1);
                while (slots[s] != 0) {
                    s = (s + 1) & (slots.length - 1);
                }
                slots[s] = i + 1;
            }
        }

        /** The wanted feature names, in order, as given. */
        public java.util.List<String> features() {
            return features;
        }

        /** The distinct wanted names: the answer's positions. */
        FeatureNames names() {
            return distinct;
        }

        boolean matches(int position, byte[] bytes, int offset, int length) {
            byte[] name = names[position];
            return java.util.Arrays.equals(name, 0, name.length, bytes, offset, offset + length);
        }

        /** The position of the UTF-8 name at {@code bytes[offset, offset + length)}, or -1 when not wanted. */
        int positionOf(byte[] bytes, int offset, int length) {
            int mask = slots.length - 1;
            for (int s = hash(bytes, offset, length) & mask; slots[s] != 0; s = (s + 1) & mask) {
                int position = slots[s] - 1;
                if (matches(position, bytes, offset, length)) {
                    return position;
                }
            }
            return -1;
        }

        private static int hash(byte[] bytes, int offset, int length) {
            int h = 1;
            for (int i = offset; i < offset + length; i++) {
                h = 31 * h + bytes[i];
            }
            return h ^ (h >>> 16);
        }
    }

    private static void checkVersion(byte[] bytes, String what) {
        checkVersion(bytes, bytes == null ? 0 : bytes.length, what);
    }

    private static void checkVersion(byte[] bytes, int length, String what) {
        if (bytes == null || length == 0) {
            throw new ValidationFailedException("online " + what + " was empty but it must start with codec version " + VERSION);
        }
        int found = bytes[0] & 0xff;
        if (found != VERSION) {
            throw new ValidationFailedException("online " + what + " codec version was " + found
                    + " but this Ferry reads version " + VERSION + " (written by a newer Ferry?)");
        }
    }

    static long toMicros(Instant t) {
        try {
            return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000);
        } catch (ArithmeticException e) {
            throw new InvalidInputException("event time was " + t
                    + " but it must be within about 292,000 years of 1970 (epoch microseconds fit in 64 bits)", e);
        }
    }

    static Instant fromMicros(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
    }

    private static int payloadSize(Object v) {
        return switch (v) {
            case null -> 0;
            case Boolean x -> 1;
            case Integer x -> 4;
            case Long x -> 8;
            case Float x -> 4;
            case Double x -> 8;
            case byte[] u -> varintSize(u.length) + u.length;
            case float[] a -> varintSize(a.length) + 4 * a.length;
            case double[] a -> varintSize(a.length) + 8 * a.length;
            case int[] a -> varintSize(a.length) + 4 * a.length;
            case long[] a -> varintSize(a.length) + 8 * a.length;
            default -> {
                checkSupported("?", v);
                yield 0;
            }
        };
    }

    private static void writePayload(ByteBuffer b, Object v) {
        switch (v) {
            case null -> b.put(NULL);
            case Boolean x -> b.put(BOOLEAN).put((byte) (x ? 1 : 0));
            case Integer x -> b.put(INT).putInt(x);
            case Long x -> b.put(LONG).putLong(x);
            case Float x -> b.put(FLOAT).putFloat(x);
            case Double x -> b.put(DOUBLE).putDouble(x);
            case byte[] u -> {
                putVarint(b.put(STRING), u.length);
                b.put(u);
            }
            case float[] a -> {
                putVarint(b.put(FLOAT_ARRAY), a.length);
                b.asFloatBuffer().put(a);
                b.position(b.position() + 4 * a.length);
            }
            case double[] a -> {
                putVarint(b.put(DOUBLE_ARRAY), a.length);
                b.asDoubleBuffer().put(a);
                b.position(b.position() + 8 * a.length);
            }
            case int[] a -> {
                putVarint(b.put(INT_ARRAY), a.length);
                b.asIntBuffer().put(a);
                b.position(b.position() + 4 * a.length);
            }
            case long[] a -> {
                putVarint(b.put(LONG_ARRAY), a.length);
                b.asLongBuffer().put(a);
                b.position(b.position() + 8 * a.length);
            }
            default -> checkSupported("?", v);
        }
    }

    /**
     * Reads the payload at {@code bytes[p, end)} (type tag onwards), the one reader of the value
     * format: every read is bounded by {@code end}, and bytes left over are refused.
     */
    private static Object readValue(byte[] bytes, int p, int end) {
        if (p >= end) {
            throw new IllegalArgumentException("value at byte " + p + " ends before its type tag");
        }
        byte tag = bytes[p++];
        Object v;
        switch (tag) {
            case NULL -> v = null;
            case BOOLEAN -> {
                need(p, 1, end);
                v = bytes[p++] != 0;
            }
            case INT -> {
                need(p, 4, end);
                v = (int) INT_VIEW.get(bytes, p);
                p += 4;
            }
            case LONG -> {
                need(p, 8, end);
                v = (long) LONG_VIEW.get(bytes, p);
                p += 8;
            }
            case FLOAT -> {
                need(p, 4, end);
                v = (float) FLOAT_VIEW.get(bytes, p);
                p += 4;
            }
            case DOUBLE -> {
                need(p, 8, end);
                v = (double) DOUBLE_VIEW.get(bytes, p);
                p += 8;
            }
            case STRING -> {
                long c = readVarint(bytes, p, end);
                int length = (int) (c >>> 32);
                p = (int) c;
                need(p, length, end);
                v = new String(bytes, p, length, StandardCharsets.UTF_8);
                p += length;
            }
            case FLOAT_ARRAY -> {
                long c = readVarint(bytes, p, end);
                p = (int) c;
                float[] a = new float[need(p, (int) (c >>> 32), 4, end)];
                for (int i = 0; i < a.length; i++, p += 4) {
                    a[i] = (float) FLOAT_VIEW.get(bytes, p);
                }
                v = a;
            }
            case DOUBLE_ARRAY -> {
                long c = readVarint(bytes, p, end);
                p = (int) c;
                double[] a = new double[need(p, (int) (c >>> 32), 8, end)];
                for (int i = 0; i < a.length; i++, p += 8) {
                    a[i] = (double) DOUBLE_VIEW.get(bytes, p);
                }
                v = a;
            }
            case INT_ARRAY -> {
                long c = readVarint(bytes, p, end);
                p = (int) c;
                int[] a = new int[need(p, (int) (c >>> 32), 4, end)];
                for (int i = 0; i < a.length; i++, p += 4) {
                    a[i] = (int) INT_VIEW.get(bytes, p);
                }
                v = a;
            }
            case LONG_ARRAY -> {
                long c = readVarint(bytes, p, end);
                p = (int) c;
                long[] a = new long[need(p, (int) (c >>> 32), 8, end)];
                for (int i = 0; i < a.length; i++, p += 8) {
                    a[i] = (long) LONG_VIEW.get(bytes, p);
                }
                v = a;
            }
            default -> throw new IllegalArgumentException("unknown type tag " + tag);
        }
        if (p != end) {
            throw new IllegalArgumentException((end - p) + " trailing bytes");
        }
        return v;
    }

    /** An entity's bytes end with its last feature: bytes left over mean a wrong count or a torn value. */
    private static void checkEnd(int p, int end, int features) {
        if (p != end) {
            throw new IllegalArgumentException((end - p) + " trailing bytes after its " + features + " features");
        }
    }

    private static void need(int p, int length, int end) {
        if (length > end - p) {
            throw new IllegalArgumentException("value needs " + length + " bytes at byte " + p + " but has " + (end - p));
        }
    }

    /** Checks that {@code count} elements of {@code size} bytes fit before {@code end} (before allocating them); returns count. */
    private static int need(int p, int count, int size, int end) {
        if ((long) count * size > end - p) {
            throw new IllegalArgumentException("array of " + count + " elements needs " + (long) count * size
                    + " bytes at byte " + p + " but has " + (end - p));
        }
        return count;
    }

    /**
     * The varint at {@code bytes[p]}, bounded by {@code end}: its value in the high 32 bits, the
     * position after it in the low 32 bits (a pair without allocating one).
     */
    private static long readVarint(byte[] bytes, int p, int end) {
        int n = 0;
        for (int shift = 0; shift < 32; shift += 7) {
            if (p >= end) {
                throw new IllegalArgumentException("varint at byte " + p + " runs past the end");
            }
            byte x = bytes[p++];
            n |= (x & 0x7f) << shift;
            if (x >= 0) {
                if (n < 0) {
                    throw new IllegalArgumentException("negative length " + n);
                }
                return (long) n << 32 | p;
            }
        }
        throw new IllegalArgumentException("varint longer than 5 bytes");
    }

    private static int varintSize(int n) {
        int size = 1;
        while ((n >>>= 7) != 0) {
            size++;
        }
        return size;
    }

    private static void putVarint(ByteBuffer b, int n) {
        while ((n & ~0x7f) != 0) {
            b.put((byte) (n & 0x7f | 0x80));
            n >>>= 7;
        }
        b.put((byte) n);
    }

    private static void writeVarint(ByteArrayOutputStream out, int n) {
        while ((n & ~0x7f) != 0) {
            out.write(n & 0x7f | 0x80);
            n >>>= 7;
        }
        out.write(n);
    }
}
