package dev.ferry.monitoring.alert;

/**
 * Where alert events go: {@link LogAlertNotifier} (always useful), {@link WebhookAlertNotifier}
 * (HTTP POST of JSON). A notifier that throws is counted and logged by the evaluator and does not
 * keep the event from the other notifiers.
 */
public interface AlertNotifier {

    void notify(AlertEvent event);
}
