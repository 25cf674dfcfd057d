package io.switchboard.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.history.HistoryStore.AppendResult;
import io.switchboard.history.InboxStore;
import io.switchboard.history.PgHistoryStore;
import io.switchboard.model.ClientInfo;
import io.switchboard.model.Publication;
import io.switchboard.testsupport.TestPostgres;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * V6 turns {@code publications.data} from text into bytea: rows written before it must read back byte for byte.
 * A database is migrated to V5, filled the way V5-era servers wrote it, then migrated to the latest version and
 * read through the stores.
 */
class PublicationBytesMigrationTest {
  /** Data as V5-era servers stored it: compact JSON, but also text kept exactly as given (spaces, escapes). */
  private static final List<String> OLD_DATA = List.of(
      "{\"text\":\"hello\"}",
      "{ \"z\" : 1.50 ,\n \"y\": \"\\u00e9\" }",
      "{\"emoji\":\"\uD83D\uDE00 caf\u00e9 \u4e2d\u6587\",\"quote\":\"a\\\"b\\\\c\"}",
      "\"just a string\"",
      "12345678901234567890.5e-3",
      "[null,true,false,{}]",
      "{\"big\":\"" + "x".repeat(100_000) + "\"}");

  private Vertx vertx;
  private Pool pool;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() {
    if (pool != null) {
      pool.close().await();
    }
    vertx.close().await();
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.await(60, TimeUnit.SECONDS);
  }

  @Test
  void rowsWrittenBeforeTheByteaMigrationReadBackByteForByte() throws Exception {
    TestPostgres.Db db = TestPostgres.freshEmptyDatabase();
    Flyway.configure(getClass().getClassLoader()).dataSource(db.jdbcUrl(), db.user(), db.password())
        .locations(MigrationVerticle.LOCATION).target("5").load().migrate();
    pool = db.pool(vertx);
    assertThat(columnType()).isEqualTo("text");

    String chat = "chat:old";
    String inbox = "notify:#ann";
    ClientInfo info = new ClientInfo("ann", "client-1", "{\"name\":\"Ann\"}", null);
    await(pool.query("INSERT INTO streams (channel, top, epoch) VALUES ('chat:old', " + OLD_DATA.size()
        + ", 'e1'), ('notify:#ann', 1, 'e2')").execute());
    // The V5 statement of PgHistoryStore.appendOnce, with data as text.
    String v5Insert = "INSERT INTO publications (channel, \"offset\", data, info, tags, idempotency_key) "
        + "VALUES ($1, $2, $3, $4, $5, $6)";
    for (int i = 0; i < OLD_DATA.size(); i++) {
      await(pool.preparedQuery(v5Insert).execute(Tuple.of(chat, (long) i + 1, OLD_DATA.get(i),
          i == 0 ? info.encoded() : null, i == 0 ? "{\"k\":\"v\"}" : null, i == 0 ? "key-1" : null)));
    }
    await(pool.preparedQuery(v5Insert).execute(Tuple.of(inbox, 1L, "{\"title\":\"Bonjour \u00e0 vous\"}",
        null, null, null)));

    MigrationVerticle.Report report = await(MigrationVerticle.migrate(vertx, db.jdbc()));
    // V6 and whatever came after it (V7 push devices, V8 webhooks, ...)
    assertThat(report.migrationsExecuted()).isGreaterThanOrEqualTo(1);
    assertThat(Integer.parseInt(report.schemaVersion())).isGreaterThanOrEqualTo(6);
    assertThat(columnType()).isEqualTo("bytea");

    PgHistoryStore store = new PgHistoryStore(pool);
    List<Publication> read = await(store.read(chat, 0, 100, false)).publications();
    assertThat(read).hasSize(OLD_DATA.size());
    for (int i = 0; i < OLD_DATA.size(); i++) {
      Publication p = read.get(i);
      assertThat(p.offset()).isEqualTo(i + 1);
      assertThat(p.json()).isTrue();
      assertThat(p.data()).isEqualTo(OLD_DATA.get(i).getBytes(StandardCharsets.UTF_8));
      assertThat(p.dataText()).isEqualTo(OLD_DATA.get(i));
    }
    assertThat(read.get(0).info()).isEqualTo(info);
    assertThat(read.get(0).tags()).isEqualTo(Map.of("k", "v"));

    // The idempotency lookup reads an old row too: a retry gets the original back, byte for byte.
    AppendResult retry = await(store.appendOnce(chat, new Publication(chat, 0, "{\"other\":1}", null, Map.of()),
        "key-1"));
    assertThat(retry.duplicate()).isTrue();
    assertThat(retry.publications().get(0).dataText()).isEqualTo(OLD_DATA.get(0));

    InboxStore.Page page = await(new InboxStore(pool).list("ann", inbox, 0, 10));
    assertThat(page.items()).hasSize(1);
    assertThat(new String(page.items().get(0).data(), StandardCharsets.UTF_8))
        .isEqualTo("{\"title\":\"Bonjour \u00e0 vous\"}");
    assertThat(page.items().get(0).json()).isTrue();

    // New rows next to the old ones: JSON and arbitrary bytes, kept exactly.
    byte[] raw = {0, (byte) 0xff, (byte) 0xc3, 0x28, '\n', '"', '\\'};
    List<Publication> appended = await(store.append(chat, List.of(
        new Publication(chat, 0, "{\"new\":true}", null, Map.of()),
        new Publication(chat, 0, raw, false, null, Map.of())))).publications();
    List<Publication> again = await(store.read(chat, OLD_DATA.size(), 10, false)).publications();
    assertThat(again).containsExactlyElementsOf(appended);
    assertThat(again.get(1).json()).isFalse();
    assertThat(again.get(1).data()).isEqualTo(raw);
  }

  private String columnType() throws Exception {
    return await(pool.query("SELECT data_type FROM information_schema.columns "
        + "WHERE table_name = 'publications' AND column_name = 'data'").execute()).iterator().next().getString(0);
  }
}
