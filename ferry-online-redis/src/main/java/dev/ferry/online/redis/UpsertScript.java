package dev.ferry.online.redis;

import dev.ferry.online.ValueCodec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The server-side upsert: for one entity hash, set each field unless the stored value's event time
 * is newer. Running on the server makes the compare-and-set atomic without a round trip per
 * feature; it touches only KEYS[1], so it is valid on Redis Cluster. Event times are compared as
 * unsigned bytes (ValueCodec stores them order-preserving); Lua's string comparison is not used
 * because Redis makes it follow the locale's collation.
 */
final class UpsertScript {

    // One HMGET and at most one HSET per entity, whatever the number of features.
    static final String SOURCE = """
            local key = KEYS[1]
            local fields = {}
            for i = 1, #ARGV, 2 do
              fields[#fields + 1] = ARGV[i]
            end
            local olds = redis.call('HMGET', key, unpack(fields))
            local updates = {}
            for n = 1, #fields do
              local new = ARGV[2 * n]
              local old = olds[n]
              local write = true
              if old and string.len(old) >= %2$d then
                for j = %1$d, %2$d do
                  local a, b = string.byte(new, j), string.byte(old, j)
                  if a ~= b then
                    write = a > b
                    break
                  end
                end
              end
              if write then
                updates[#updates + 1] = fields[n]
                updates[#updates + 1] = new
              end
            end
            if #updates > 0 then
              redis.call('HSET', key, unpack(updates))
            end
            return #updates / 2
            """.formatted(ValueCodec.EVENT_TIME_OFFSET + 1, ValueCodec.EVENT_TIME_OFFSET + ValueCodec.EVENT_TIME_LENGTH);

    static final byte[] BYTES = SOURCE.getBytes(StandardCharsets.UTF_8);
    static final String SHA1 = sha1(BYTES);

    private UpsertScript() {
    }

    private static String sha1(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-1", e);
        }
    }
}
