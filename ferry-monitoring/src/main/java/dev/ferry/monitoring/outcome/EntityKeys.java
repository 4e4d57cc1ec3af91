package dev.ferry.monitoring.outcome;

import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;

/**
 * Entity keys in a canonical text form: names sorted, whole numbers without a decimal point, so
 * {@code 42} from a CSV column, {@code 42L} from a table and {@code 42} from JSON are one key.
 */
final class EntityKeys {

    private EntityKeys() {
    }

    static String canonical(Map<String, Object> entity) {
        StringBuilder sb = new StringBuilder();
        new TreeMap<>(entity).forEach((k, v) -> {
            if (!sb.isEmpty()) {
                sb.append('\u001f');
            }
            sb.append(k).append('=').append(text(v));
        });
        return sb.toString();
    }

    static String text(Object v) {
        if (v instanceof Number n) {
            BigDecimal d = new BigDecimal(n.toString()).stripTrailingZeros();
            return d.scale() <= 0 ? d.toBigInteger().toString() : d.toPlainString();
        }
        return String.valueOf(v);
    }
}
