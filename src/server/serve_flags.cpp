#include "server/serve_flags.hpp"

#include <CLI/CLI.hpp>

namespace herald {

void add_serve_flags(CLI::App& serve, ServeOptions& options) {
  serve.add_option("--listen", options.listen, "HOST:PORT to listen on")
      ->envname("HERALD_LISTEN")
      ->capture_default_str();
  serve.add_option("--data", options.data_dir, "data folder (the SQLite store lives here)")
      ->envname("HERALD_DATA")
      ->capture_default_str();
  serve.add_option("--store", options.store_url, "store URL, e.g. sqlite:/var/lib/herald.db")
      ->envname("HERALD_STORE");
  serve
      .add_option("--public-url", options.public_url,
                  "the address people reach this server at, for links in push notifications "
                  "and bell items (default: http://LISTEN)")
      ->envname("HERALD_PUBLIC_URL");
  serve.add_flag("--demo", options.demo, "seed a small demo organisation")->envname("HERALD_DEMO");
  serve.add_option("--io-threads", options.io_threads, "network threads (0: one per core)")
      ->envname("HERALD_IO_THREADS")
      ->capture_default_str();
  serve
      .add_option("--worker-threads", options.worker_threads,
                  "threads for handlers that wait on the store")
      ->envname("HERALD_WORKER_THREADS")
      ->check(CLI::Range(1, 1024))
      ->capture_default_str();
  serve.add_option("--max-body", options.max_body_bytes, "largest JSON request body, bytes")
      ->envname("HERALD_MAX_BODY")
      ->capture_default_str();
  serve.add_option("--max-upload", options.max_upload_bytes, "largest attachment, bytes")
      ->envname("HERALD_MAX_UPLOAD")
      ->capture_default_str();
  serve.add_option("--max-mail-body", options.max_mail_body_bytes, "largest message body, bytes")
      ->envname("HERALD_MAX_MAIL_BODY")
      ->capture_default_str();
  serve
      .add_option("--live-heartbeat", options.live_heartbeat_seconds,
                  "seconds of quiet before a live session is pinged; a WebSocket silent for "
                  "2.5 times this is closed")
      ->envname("HERALD_LIVE_HEARTBEAT")
      ->check(CLI::Range(1, 3600))
      ->capture_default_str();
  serve
      .add_option("--log-level", options.log_level,
                  "trace, debug, info, warn, error or off (requests are logged at debug)")
      ->envname("HERALD_LOG_LEVEL")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "critical", "off"}))
      ->capture_default_str();

  // Delivery: the SMTP relay, push platforms and retries (docs/delivery.md).
  serve
      .add_option("--smtp", options.delivery.smtp_url,
                  "SMTP relay, smtp://HOST:PORT (STARTTLS) or smtps://HOST:PORT (TLS); none: "
                  "emails are not sent")
      ->envname("HERALD_SMTP");
  serve.add_option("--smtp-user", options.delivery.smtp_user, "SMTP AUTH user name")
      ->envname("HERALD_SMTP_USER");
  serve
      .add_option("--smtp-password", options.delivery.smtp_password,
                  "SMTP AUTH password (prefer the environment variable)")
      ->envname("HERALD_SMTP_PASSWORD");
  serve
      .add_option("--smtp-starttls", options.delivery.smtp_starttls,
                  "STARTTLS on smtp://: auto (when offered), always (refuse to send in clear), "
                  "never")
      ->envname("HERALD_SMTP_STARTTLS")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
  serve
      .add_option("--smtp-ca-file", options.delivery.smtp_ca_file,
                  "PEM file of the CA that signs the relay's certificate (default: the system's)")
      ->envname("HERALD_SMTP_CA_FILE");
  serve.add_option("--mail-from", options.delivery.mail_from, "the From address of emails")
      ->envname("HERALD_MAIL_FROM");
  serve
      .add_option("--vapid-key", options.delivery.vapid_key_file,
                  "PEM file of the Web Push (VAPID) key; made at first start (default: "
                  "vapid.pem in the data folder)")
      ->envname("HERALD_VAPID_KEY");
  serve
      .add_option("--vapid-subject", options.delivery.vapid_subject,
                  "who runs this server, for push services: mailto:ADDRESS or https://URL "
                  "(default: mailto: the --mail-from address)")
      ->envname("HERALD_VAPID_SUBJECT");
  serve
      .add_option("--apns-key", options.delivery.apns_key_file,
                  "the .p8 key file of Apple Push Notifications (APNs is off without it)")
      ->envname("HERALD_APNS_KEY");
  serve.add_option("--apns-key-id", options.delivery.apns_key_id, "the APNs key's Key ID")
      ->envname("HERALD_APNS_KEY_ID");
  serve.add_option("--apns-team-id", options.delivery.apns_team_id, "the Apple developer Team ID")
      ->envname("HERALD_APNS_TEAM_ID");
  serve.add_option("--apns-topic", options.delivery.apns_topic, "the app's bundle id")
      ->envname("HERALD_APNS_TOPIC");
  serve
      .add_option("--apns-url", options.delivery.apns_url,
                  "APNs endpoint (https://api.sandbox.push.apple.com for development builds)")
      ->envname("HERALD_APNS_URL")
      ->capture_default_str();
  serve
      .add_option("--fcm-credentials", options.delivery.fcm_credentials,
                  "a Firebase service account's JSON key file (FCM is off without it)")
      ->envname("HERALD_FCM_CREDENTIALS");
  serve.add_option("--fcm-url", options.delivery.fcm_url, "FCM endpoint")
      ->envname("HERALD_FCM_URL")
      ->capture_default_str();
  serve
      .add_option("--push-ca-file", options.delivery.push_ca_file,
                  "PEM file of the CA that signs push services' certificates (default: the "
                  "system's)")
      ->envname("HERALD_PUSH_CA_FILE");
  serve
      .add_option("--delivery-timeout", options.delivery.timeout_ms,
                  "milliseconds one email or push may take before it is retried")
      ->envname("HERALD_DELIVERY_TIMEOUT")
      ->check(CLI::Range(100, 600'000))
      ->capture_default_str();
  serve
      .add_option("--email-workers", options.delivery.email_workers,
                  "threads sending email, each with its own SMTP connection")
      ->envname("HERALD_EMAIL_WORKERS")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  serve.add_option("--push-workers", options.delivery.push_workers, "threads sending push")
      ->envname("HERALD_PUSH_WORKERS")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  serve
      .add_option("--delivery-attempts", options.delivery.max_attempts,
                  "attempts before a delivery is marked failed")
      ->envname("HERALD_DELIVERY_ATTEMPTS")
      ->check(CLI::Range(1, 100))
      ->capture_default_str();
  serve
      .add_option("--delivery-retry-base", options.delivery.retry_base_ms,
                  "milliseconds before the first retry; each next one waits about twice as long")
      ->envname("HERALD_DELIVERY_RETRY_BASE")
      ->check(CLI::Range(1, 3'600'000))
      ->capture_default_str();
}

}  // namespace herald
