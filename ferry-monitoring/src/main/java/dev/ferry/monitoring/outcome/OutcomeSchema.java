package dev.ferry.monitoring.outcome;

import dev.ferry.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which fields of an outcome record mean what. With a {@code requestIdField} an outcome joins the
 * prediction of that request; without one it joins the latest prediction for the same entity
 * ({@code entityFields}) at or before its time ({@code timeField}, then required).
 *
 * @param requestIdField field holding the request id, or empty to join by entity and time
 * @param entityFields   fields holding the entity keys, named as in the prediction log
 * @param timeField      field holding when the outcome was observed; optional when joining by request id
 * @param labelField     field holding the label
 * @param labelKind      binary (classifier) or numeric (regressor)
 */
public record OutcomeSchema(Optional<String> requestIdField, List<String> entityFields, Optional<String> timeField,
                            String labelField, LabelKind labelKind) {

    public OutcomeSchema {
        entityFields = List.copyOf(entityFields);
        List<String> problems = new ArrayList<>();
        if (requestIdField.isEmpty() && entityFields.isEmpty()) {
            problems.add("neither a request id field nor entity fields were given but one of them is needed to join outcomes to predictions");
        }
        if (requestIdField.isEmpty() && timeField.isEmpty()) {
            problems.add("no time field was given but joining by entity needs the outcome's time");
        }
        if (labelField == null || labelField.isBlank()) {
            problems.add("label field was '" + labelField + "' but it must name a field");
        }
        if (labelKind == null) {
            problems.add("label kind was null but it must be binary or numeric");
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException("outcome schema: " + String.join("; ", problems));
        }
    }

    /** Outcomes joined by request id. */
    public static OutcomeSchema byRequestId(String requestIdField, String labelField, LabelKind kind) {
        return new OutcomeSchema(Optional.of(requestIdField), List.of(), Optional.empty(), labelField, kind);
    }

    /** Outcomes joined by entity keys and time. */
    public static OutcomeSchema byEntity(List<String> entityFields, String timeField, String labelField, LabelKind kind) {
        return new OutcomeSchema(Optional.empty(), entityFields, Optional.of(timeField), labelField, kind);
    }

    /** The same schema with the outcome time read from {@code field}. */
    public OutcomeSchema withTimeField(String field) {
        return new OutcomeSchema(requestIdField, entityFields, Optional.of(field), labelField, labelKind);
    }
}
