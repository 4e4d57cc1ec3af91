package dev.ferry.monitoring.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.InvalidInputException;
import dev.ferry.UnavailableException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Sends each alert event as an HTTP POST of JSON ({@link AlertEvent#toMap()}) to one URL, with a
 * time limit. Anything but a 2xx answer is a failure (thrown, so the evaluator counts it).
 */
public final class WebhookAlertNotifier implements AlertNotifier {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI url;
    private final Duration timeout;
    private final HttpClient http;

    public WebhookAlertNotifier(URI url, Duration timeout) {
        if (url == null || url.getScheme() == null || !(url.getScheme().equals("http") || url.getScheme().equals("https"))) {
            throw new InvalidInputException("webhook URL was '" + url + "' but an http:// or https:// URL is expected");
        }
        this.url = url;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    @Override
    public void notify(AlertEvent event) {
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(event.toMap());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("alert event cannot be written as JSON", e);
        }
        HttpRequest req = HttpRequest.newBuilder(url).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        try {
            HttpResponse<String> res = http.send(req, HttpResponse.BodyHandlers.ofString());
            if (res.statusCode() / 100 != 2) {
                throw new UnavailableException("webhook " + url + " answered " + res.statusCode() + " to alert " + event.rule().name());
            }
        } catch (IOException e) {
            throw new UnavailableException("webhook " + url + " could not be reached for alert " + event.rule().name() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted while calling webhook " + url, e);
        }
    }
}
