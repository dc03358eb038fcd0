package io.seismo.ingest.notify.channel;

import jakarta.mail.Authenticator;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Properties;

/**
 * E-mail over SMTP with Jakarta Mail (Eclipse Angus): one plain-text message per alert to every
 * recipient, subject {@code [Seismo] <summary>}. {@code security}: {@code none}, {@code starttls}
 * (required, not opportunistic) or {@code tls} (SMTPS); with a user the password is used for AUTH.
 * Timeouts bound the connection, each read and each write.
 */
public final class EmailChannel {

  public enum Security { NONE, STARTTLS, TLS }

  /** The SMTP server and the message's envelope. */
  public record Settings(String host, int port, Security security, String user, String password, String from,
                         List<String> to, Duration timeout) {
    public Settings {
      to = List.copyOf(to);
      if (to.isEmpty()) {
        throw new IllegalArgumentException("an email channel needs at least one recipient in 'to'");
      }
    }
  }

  private final Settings settings;
  private final Session session;
  private final InternetAddress from;
  private final InternetAddress[] to;

  public EmailChannel(Settings settings) {
    this.settings = settings;
    String protocol = settings.security() == Security.TLS ? "smtps" : "smtp";
    Properties props = new Properties();
    String prefix = "mail." + protocol + ".";
    props.put("mail.transport.protocol", protocol);
    props.put(prefix + "host", settings.host());
    props.put(prefix + "port", Integer.toString(settings.port()));
    String timeout = Long.toString(settings.timeout().toMillis());
    props.put(prefix + "connectiontimeout", timeout);
    props.put(prefix + "timeout", timeout);
    props.put(prefix + "writetimeout", timeout);
    if (settings.security() == Security.STARTTLS) {
      props.put(prefix + "starttls.enable", "true");
      props.put(prefix + "starttls.required", "true");
    }
    if (settings.security() != Security.NONE) {
      props.put(prefix + "ssl.checkserveridentity", "true");
    }
    Authenticator authenticator = null;
    if (settings.user() != null && !settings.user().isBlank()) {
      props.put(prefix + "auth", "true");
      authenticator = new Authenticator() {
        @Override
        protected PasswordAuthentication getPasswordAuthentication() {
          return new PasswordAuthentication(settings.user(), settings.password());
        }
      };
    }
    this.session = Session.getInstance(props, authenticator);
    try {
      this.from = new InternetAddress(settings.from(), true);
      this.to = new InternetAddress[settings.to().size()];
      for (int i = 0; i < this.to.length; i++) {
        this.to[i] = new InternetAddress(settings.to().get(i), true);
      }
    } catch (MessagingException e) {
      throw new IllegalArgumentException("bad e-mail address: " + e.getMessage(), e);
    }
  }

  public Settings settings() {
    return settings;
  }

  /** Sends the alert; throws what the SMTP server or the connection answered. */
  public void send(AlertMessage alert) throws MessagingException {
    MimeMessage message = new MimeMessage(session);
    message.setFrom(from);
    message.setRecipients(Message.RecipientType.TO, to);
    message.setSubject("[Seismo] " + alert.summary(), StandardCharsets.UTF_8.name());
    message.setSentDate(new Date(alert.at().toEpochMilli()));
    message.setHeader("X-Seismo-Alert-Id", alert.id());
    message.setText(alert.summary() + "\n\n" + alert.detail() + "\n\nAPI:  " + alert.apiId() + "\nKind: " + alert.kind()
        + "\nAt:   " + alert.at() + "\nId:   " + alert.id() + "\n", StandardCharsets.UTF_8.name());
    Transport.send(message);
  }
}
