package dev.ferry.monitoring.alert;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes alert events to the log ({@code dev.ferry.monitoring.alert}): firing as a warning, resolved as info. */
public final class LogAlertNotifier implements AlertNotifier {

    private static final Logger LOG = LoggerFactory.getLogger("dev.ferry.monitoring.alert");

    @Override
    public void notify(AlertEvent event) {
        if (event.state() == AlertEvent.State.FIRING) {
            LOG.warn(event.message());
        } else {
            LOG.info(event.message());
        }
    }
}
