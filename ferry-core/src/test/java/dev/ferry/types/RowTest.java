package dev.ferry.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RowTest {

    @Test
    void aRowCopiesTheMapItIsGivenKeepsItsOrderAndCannotBeChanged() {
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("b", 1L);
        source.put("a", null);
        Row row = new Row(source);
        source.put("c", 3L);

        assertThat(List.copyOf(row.values().keySet())).containsExactly("b", "a");
        assertThat(row.has("a")).isTrue();
        assertThat(row.get("a")).isNull();
        assertThatThrownBy(() -> row.values().put("d", 4L)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void anOwnedRowEqualsItsCopyAndCannotBeChangedThroughTheRow() {
        LinkedHashMap<String, Object> values = new LinkedHashMap<>();
        values.put("z", 2.5);
        values.put("y", "text");
        values.put("x", null);

        Row owned = Row.owning(values);
        Row copied = new Row(new HashMap<>(values));

        assertThat(owned).isEqualTo(copied).hasSameHashCodeAs(copied);
        assertThat(List.copyOf(owned.values().keySet())).containsExactly("z", "y", "x");
        assertThat(owned.values().getClass()).isEqualTo(copied.values().getClass());
        assertThatThrownBy(() -> owned.values().remove("z")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> owned.values().entrySet().iterator().next().setValue(1.0))
                .isInstanceOf(UnsupportedOperationException.class);
        // Row.of builds an owned row too, and a copy of an owned row is a copy
        assertThat(Row.of("z", 2.5, "y", "text", "x", null)).isEqualTo(owned);
        assertThat(new Row(owned.values())).isEqualTo(owned);
    }
}
