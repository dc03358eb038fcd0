package io.seismo.api.registration;

import io.seismo.api.error.ProblemException;
import io.seismo.schemas.Registration;
import io.seismo.schemas.config.KafkaClients;
import io.seismo.schemas.topic.Topics;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/** Writes registrations (and tombstones) to the compacted control topic, synchronously: a 2xx means it is on the log. */
public final class RegistrationWriter implements AutoCloseable {

  private static final long SEND_TIMEOUT_SECONDS = 10;

  private final KafkaProducer<String, Registration> producer;

  public RegistrationWriter(String bootstrapServers, Properties overrides) {
    Properties props = KafkaClients.reliableProducer(bootstrapServers, "seismo-api-registrations", overrides);
    props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "0");
    this.producer = new KafkaProducer<>(props, Topics.REGISTRATIONS.keySerde().serializer(),
        Topics.REGISTRATIONS.valueSerde().serializer());
  }

  public RecordMetadata write(String apiId, Registration registration) {
    try {
      return producer.send(new ProducerRecord<>(Topics.REGISTRATIONS.name(), apiId, registration))
          .get(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ProblemException.unavailable("interrupted while writing the registration");
    } catch (ExecutionException | TimeoutException | org.apache.kafka.common.KafkaException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw ProblemException.unavailable("the registration could not be written to Kafka: " + cause);
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
  }
}
