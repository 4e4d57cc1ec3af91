package dev.ferry.online.redis;

import dev.ferry.online.ValueCodec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The server-side upsert of one entity: decode the stored entity (ValueCodec's entity encoding:
 * version byte, varint count, then varint-prefixed name and value per feature), set each incoming
 * feature unless the stored value's event time is strictly newer, and write the entity back if
 * anything changed. The same rule as {@code EntityMerge}, applied where the data lives, so
 * out-of-order writers in many processes stay correct without a round trip per entity. It touches
 * only KEYS[1], so it is valid on Redis Cluster. Event times are compared as unsigned bytes
 * (ValueCodec stores them order-preserving); Lua's string comparison is not used because Redis makes
 * it follow the locale's collation. A stored value of another codec version is refused, not
 * overwritten.
 */
final class UpsertScript {

    // ARGV: name1, value1, name2, value2, ... (each value encoded by ValueCodec.encode)
    static final String SOURCE = """
            local key = KEYS[1]
            local function varint(s, pos)
              local n, mul = 0, 1
              while true do
                local b = string.byte(s, pos)
                if not b then
                  return nil, pos
                end
                pos = pos + 1
                if b < 128 then
                  return n + b * mul, pos
                end
                n = n + (b - 128) * mul
                mul = mul * 128
              end
            end
            local function putvarint(n)
              local out = {}
              while n >= 128 do
                out[#out + 1] = string.char(n %% 128 + 128)
                n = math.floor(n / 128)
              end
              out[#out + 1] = string.char(n)
              return table.concat(out)
            end
            local names, values, index = {}, {}, {}
            local old = redis.call('GET', key)
            if old then
              if string.byte(old, 1) ~= %3$d then
                return redis.error_reply('ferry: ' .. key .. ' holds codec version ' .. tostring(string.byte(old, 1)) .. ', expected %3$d')
              end
              local count, pos = varint(old, 2)
              for i = 1, count do
                local len
                len, pos = varint(old, pos)
                local name = string.sub(old, pos, pos + len - 1)
                pos = pos + len
                len, pos = varint(old, pos)
                names[i] = name
                values[i] = string.sub(old, pos, pos + len - 1)
                index[name] = i
                pos = pos + len
              end
            end
            local changed = 0
            for i = 1, #ARGV, 2 do
              local name, new = ARGV[i], ARGV[i + 1]
              local at = index[name]
              local write = true
              if at then
                local stored = values[at]
                for j = %1$d, %2$d do
                  local a, b = string.byte(new, j), string.byte(stored, j)
                  if a ~= b then
                    write = (b == nil) or (a ~= nil and a > b)
                    break
                  end
                end
              end
              if write then
                if not at then
                  at = #names + 1
                  names[at] = name
                  index[name] = at
                end
                values[at] = new
                changed = changed + 1
              end
            end
            if changed > 0 then
              local parts = {string.char(%3$d), putvarint(#names)}
              for i = 1, #names do
                parts[#parts + 1] = putvarint(string.len(names[i]))
                parts[#parts + 1] = names[i]
                parts[#parts + 1] = putvarint(string.len(values[i]))
                parts[#parts + 1] = values[i]
              end
              redis.call('SET', key, table.concat(parts))
            end
            return changed
            """.formatted(ValueCodec.EVENT_TIME_OFFSET + 1, ValueCodec.EVENT_TIME_OFFSET + ValueCodec.EVENT_TIME_LENGTH,
            ValueCodec.VERSION);

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
