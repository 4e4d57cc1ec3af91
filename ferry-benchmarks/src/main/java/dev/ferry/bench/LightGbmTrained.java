package dev.ferry.bench;

import io.github.metarank.lightgbm4j.LGBMBooster;
import io.github.metarank.lightgbm4j.LGBMDataset;
import io.github.metarank.lightgbm4j.LGBMException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The benchmarks' LightGBM model: a binary GBDT of {@link Synthetic#TREES} trees with LightGBM's
 * default 31 leaves over {@link Synthetic#FEATURES} features {@code f0..f19}, trained with
 * lightgbm4j on {@link Synthetic#training()} (one thread, deterministic) and saved as LightGBM's
 * text model.
 */
final class LightGbmTrained {

    static final String PARAMS = "objective=binary num_leaves=31 learning_rate=0.1 verbose=-1 seed=1 deterministic=true"
            + " num_threads=1";

    private LightGbmTrained() {
    }

    /** Trains the model and writes it to {@code file}; returns the model text. */
    static String trainTo(Path file) {
        Synthetic data = Synthetic.training();
        String[] names = new String[Synthetic.FEATURES];
        for (int j = 0; j < names.length; j++) {
            names[j] = Synthetic.featureName(j);
        }
        try {
            LGBMDataset dataset = LGBMDataset.createFromMat(data.doubles(), data.rows, Synthetic.FEATURES, true, PARAMS, null);
            try {
                dataset.setFeatureNames(names);
                dataset.setField("label", data.y);
                LGBMBooster booster = LGBMBooster.create(dataset, PARAMS);
                try {
                    for (int i = 0; i < Synthetic.TREES; i++) {
                        booster.updateOneIter();
                    }
                    String text = booster.saveModelToString(0, 0, LGBMBooster.FeatureImportanceType.SPLIT);
                    Files.writeString(file, text, StandardCharsets.UTF_8);
                    return text;
                } finally {
                    booster.close();
                }
            } finally {
                dataset.close();
            }
        } catch (LGBMException e) {
            throw new IllegalStateException("LightGBM failed to train the benchmark model: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
