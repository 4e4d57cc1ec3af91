package dev.ferry.registry.mlflow;

import dev.ferry.model.ModelFormat;
import dev.ferry.registry.Provenance;
import dev.ferry.types.Field;
import dev.ferry.types.TensorSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What an MLflow model directory says about itself, read by {@link MlflowImporter#read}: the
 * flavour and its data file, the MLflow signature, the input example and the lineage. Nothing
 * is loaded yet; {@link MlflowImporter#toRequest} does that.
 *
 * @param directory    the MLflow model directory
 * @param flavor       the MLflow flavour used ({@code onnx}, {@code xgboost}, {@code lightgbm})
 * @param format       the Ferry format of the data file
 * @param dataFile     the model file inside the directory
 * @param columns      column-based signature inputs as Ferry fields (names made Ferry-legal,
 *                     see {@code columnNames}); empty when the signature is tensor-based or absent
 * @param columnNames  Ferry field name to the original MLflow column name
 * @param tensors      tensor-based signature inputs; empty when column-based or absent
 * @param example      the input example as rows of Ferry field name to value; empty when none
 * @param provenance   run id, creation time and versions from the MLmodel file
 */
public record MlflowModel(Path directory, String flavor, ModelFormat format, Path dataFile, List<Field> columns,
                          Map<String, String> columnNames, List<TensorSpec> tensors, List<Map<String, Object>> example,
                          Provenance provenance) {

    public MlflowModel {
        columns = List.copyOf(columns);
        columnNames = Map.copyOf(columnNames);
        tensors = List.copyOf(tensors);
        example = List.copyOf(example);
    }
}
