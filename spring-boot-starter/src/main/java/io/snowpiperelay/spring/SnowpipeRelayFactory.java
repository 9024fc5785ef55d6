package io.snowpiperelay.spring;

import io.snowpiperelay.ClientProfile;
import io.snowpiperelay.PipeName;
import io.snowpiperelay.RelayGroup;
import io.snowpiperelay.RunnerConfig;
import io.snowpiperelay.spi.OffsetSource;
import io.snowpiperelay.spi.RelayListener;
import io.snowpiperelay.postgres.PostgresOffsetSource;
import io.snowpiperelay.postgres.PostgresOutbox;
import io.snowpiperelay.postgres.PostgresOutboxConfig;
import io.snowpiperelay.postgres.RelayFleet;
import io.snowpiperelay.spring.SnowpipeRelayProperties.Channel;
import io.snowpiperelay.sqlite.OutboxConfig;
import io.snowpiperelay.sqlite.SqliteOffsetSource;
import io.snowpiperelay.sqlite.SqliteOutbox;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.core.env.Environment;

/**
 * Turns {@link SnowpipeRelayProperties} into a {@link SnowpipeRelay}: checks every property, opens the sources,
 * builds the group. Whatever it opened is closed again when a later property is wrong.
 */
final class SnowpipeRelayFactory {
    private static final String PREFIX = SnowpipeRelayProperties.PREFIX;

    private final SnowpipeRelayProperties properties;
    private final Environment environment;
    private final BeanFactory beans;
    private final String relayBeanName;
    private final RelayListener listener;

    /** Open outboxes by real path; channels on one file share one. */
    private final Map<Path, SqliteOutbox> outboxes = new LinkedHashMap<>();
    /** Open PostgreSQL outboxes by DataSource bean name; channels on one DataSource share one. */
    private final Map<String, PostgresOutbox> postgresOutboxes = new LinkedHashMap<>();
    private final List<AutoCloseable> opened = new ArrayList<>();

    SnowpipeRelayFactory(SnowpipeRelayProperties properties, Environment environment, BeanFactory beans,
                         String relayBeanName, RelayListener listener) {
        this.properties = properties;
        this.environment = environment;
        this.beans = beans;
        this.relayBeanName = relayBeanName;
        this.listener = listener;
    }

    /** @throws RelayConfigurationException naming the first property to fix */
    SnowpipeRelay create() {
        ClientProfile profile = ClientProfileFactory.create(properties.getProfile(), environment);
        RunnerConfig config = runnerConfig();
        List<Channel> channels = properties.getChannels();
        if (channels.isEmpty()) {
            throw new RelayConfigurationException(PREFIX + ".channels", "no channel is configured",
                    "add at least one under " + PREFIX + ".channels, or set " + PREFIX + ".enabled=false", null);
        }
        try {
            RelayGroup.Builder group = RelayGroup.builder().profile(profile).config(config);
            if (listener != null) {
                group.listener(listener);
            }
            if (properties.getClientNamePrefix() != null && !properties.getClientNamePrefix().isBlank()) {
                group.clientNamePrefix(properties.getClientNamePrefix());
            }
            boolean fleetEnabled = properties.getFleet().isEnabled();
            RelayFleet.Builder fleet = fleetEnabled ? fleetBuilder(profile, config) : null;
            int fleetStreams = 0;
            int groupChannels = 0;
            Set<String> names = new HashSet<>();
            for (int i = 0; i < channels.size(); i++) {
                Channel c = channels.get(i);
                String at = PREFIX + ".channels[" + i + "]";
                if (c.getName() == null || c.getName().isBlank()) {
                    throw new RelayConfigurationException(at + ".name", "is missing",
                            "name the channel, e.g. TICKET_1 (one writer per channel)", null);
                }
                if (!names.add(c.getName())) {
                    throw new RelayConfigurationException(at + ".name", "channel " + c.getName()
                            + " is configured twice", "give every channel its own name (one writer per channel)",
                            null);
                }
                if (fleetEnabled && c.getSource() == SnowpipeRelayProperties.SourceType.POSTGRES) {
                    fleetStream(fleet, c, at);
                    fleetStreams++;
                } else {
                    group.channel(pipe(c, at), c.getName(), source(c, at));
                    groupChannels++;
                }
            }
            if (fleetEnabled && fleetStreams == 0) {
                throw new RelayConfigurationException(PREFIX + ".fleet.enabled", "is true but no channel has"
                        + " source: postgres", "add a channel with source: postgres, or set it to false", null);
            }
            RelayFleet member = fleetEnabled ? buildFleet(fleet) : null;
            List<AutoCloseable> resources = new ArrayList<>(opened);
            resources.addAll(outboxes.values());
            resources.addAll(postgresOutboxes.values());
            return new SnowpipeRelay(groupChannels > 0 ? group.build() : null, member, postgresOutboxes, resources,
                    properties.isAutoStartup());
        } catch (RuntimeException e) {
            closeOpened(e);
            throw e;
        }
    }

    private RelayFleet.Builder fleetBuilder(ClientProfile profile, RunnerConfig config) {
        SnowpipeRelayProperties.Fleet f = properties.getFleet();
        RelayFleet.Builder fleet = RelayFleet.builder().profile(profile).runnerConfig(config)
                .leaseDuration(f.getLeaseDuration())
                .heartbeatInterval(f.getHeartbeatInterval())
                .renewMargin(f.getRenewMargin());
        if (f.getMemberId() != null) {
            fleet.memberId(f.getMemberId());
        }
        if (listener != null) {
            fleet.relayListener(listener);
        }
        return fleet;
    }

    /** Adds a {@code source: postgres} channel to the fleet as a stream, on channels {@code <name>_P<n>}. */
    private void fleetStream(RelayFleet.Builder fleet, Channel c, String at) {
        PipeName pipe = pipe(c, at);
        SnowpipeRelayProperties.Postgres postgres = c.getPostgres();
        String stream = requireStream(postgres, at + ".postgres");
        String name = dataSourceName(postgres.getDataSource(), at + ".postgres.data-source");
        if (!postgresOutboxes.isEmpty() && !postgresOutboxes.containsKey(name)) {
            throw new RelayConfigurationException(at + ".postgres.data-source", "DataSource '" + name + "' differs"
                    + " from '" + postgresOutboxes.keySet().iterator().next() + "' of an earlier channel",
                    "a fleet member relays one PostgreSQL outbox: put every source: postgres channel on one"
                            + " DataSource", null);
        }
        PostgresOutbox outbox = postgresOutboxes.get(name);
        if (outbox == null) {
            outbox = openOutbox(name, outboxConfig(at), at + ".postgres.data-source");
            fleet.outbox(outbox);
        }
        try {
            fleet.stream(stream, pipe, c.getName());
        } catch (IllegalArgumentException e) {
            throw new RelayConfigurationException(at + ".postgres.stream", e.getMessage(),
                    "use a name like orders: [A-Za-z][A-Za-z0-9_]{0,63}, each stream in one channel", e);
        }
    }

    /** Every fleet stream's partition count, so the outbox (and the fleet) know them all before it opens. */
    private PostgresOutboxConfig outboxConfig(String firstAt) {
        PostgresOutboxConfig.Builder config = PostgresOutboxConfig.builder();
        List<Channel> channels = properties.getChannels();
        for (int i = 0; i < channels.size(); i++) {
            Channel c = channels.get(i);
            if (c.getSource() != SnowpipeRelayProperties.SourceType.POSTGRES || c.getPostgres().getStream() == null) {
                continue;
            }
            String at = PREFIX + ".channels[" + i + "].postgres.partitions";
            try {
                config.partitions(c.getPostgres().getStream(), c.getPostgres().getPartitions());
            } catch (IllegalArgumentException e) {
                throw new RelayConfigurationException(at, e.getMessage(), "give 1 to "
                        + PostgresOutboxConfig.MAX_PARTITIONS + ", the same in every producer and member", e);
            }
        }
        try {
            return config.build();
        } catch (IllegalArgumentException e) {
            throw new RelayConfigurationException(firstAt + ".postgres.partitions", e.getMessage(),
                    "give each stream one partition count", e);
        }
    }

    private RelayFleet buildFleet(RelayFleet.Builder fleet) {
        try {
            return fleet.build();
        } catch (IllegalArgumentException e) {
            // RelayFleet names the field first: "heartbeatInterval PT3S * 3 is not below ...", "memberId is '..'".
            String message = e.getMessage() == null ? "" : e.getMessage();
            int space = message.indexOf(' ');
            String field = space > 0 ? kebab(message.substring(0, space)) : "";
            boolean known = List.of("lease-duration", "heartbeat-interval", "renew-margin", "member-id")
                    .contains(field);
            throw new RelayConfigurationException(PREFIX + ".fleet" + (known ? "." + field : ""), message,
                    "see docs/scaling-out.md for the fleet's timings and member ids", e);
        }
    }

    private RunnerConfig runnerConfig() {
        try {
            return properties.getRunner().toRunnerConfig();
        } catch (IllegalArgumentException e) {
            // RunnerConfig names the field first: "maxBatchRows = 0 is out of range [1, 100000]".
            String message = e.getMessage() == null ? "" : e.getMessage();
            int eq = message.indexOf(" = ");
            String field = eq > 0 ? kebab(message.substring(0, eq)) : "";
            throw new RelayConfigurationException(PREFIX + ".runner" + (field.isEmpty() ? "" : "." + field),
                    message, "choose a value in the range (docs/configuration.md)", e);
        }
    }

    private static PipeName pipe(Channel c, String at) {
        boolean hasPipe = c.getPipe() != null && !c.getPipe().isBlank();
        boolean hasTable = c.getTable() != null && !c.getTable().isBlank();
        if (hasPipe == hasTable) {
            throw new RelayConfigurationException(at + (hasPipe ? ".table" : ".pipe"), hasPipe
                    ? "both pipe and table are set" : "neither pipe nor table is set",
                    "set pipe (DATABASE.SCHEMA.PIPE) or table (DATABASE.SCHEMA.TABLE, its default pipe)", null);
        }
        String property = at + (hasPipe ? ".pipe" : ".table");
        String value = hasPipe ? c.getPipe() : c.getTable();
        String[] parts = value.split("\\.", -1);
        if (parts.length != 3 || parts[0].isBlank() || parts[1].isBlank() || parts[2].isBlank()) {
            throw new RelayConfigurationException(property, "'" + value + "' is not DATABASE.SCHEMA.NAME",
                    "write the three names separated by dots, as Snowflake shows them", null);
        }
        return hasPipe ? PipeName.of(parts[0], parts[1], parts[2]) : PipeName.defaultPipeOf(parts[0], parts[1], parts[2]);
    }

    private OffsetSource source(Channel c, String at) {
        if (c.getSource() == null) {
            throw new RelayConfigurationException(at + ".source", "is missing",
                    "set it to sqlite (with sqlite.path and sqlite.stream), postgres (with postgres.stream) or bean"
                            + " (with bean)", null);
        }
        return switch (c.getSource()) {
            case SQLITE -> sqliteSource(c.getSqlite(), at + ".sqlite");
            case BEAN -> beanSource(c.getBean(), at + ".bean");
            case POSTGRES -> postgresSource(c.getPostgres(), at + ".postgres");
        };
    }

    private OffsetSource sqliteSource(SnowpipeRelayProperties.Sqlite sqlite, String at) {
        if (sqlite.getPath() == null) {
            throw new RelayConfigurationException(at + ".path", "is missing", "set the outbox file, e.g. ./outbox.db",
                    null);
        }
        if (sqlite.getStream() == null || sqlite.getStream().isBlank()) {
            throw new RelayConfigurationException(at + ".stream", "is missing",
                    "name the outbox stream the producers append to, e.g. tickets", null);
        }
        if (sqlite.getSynchronousMode() == null) {
            throw new RelayConfigurationException(at + ".synchronous-mode", "is missing", "set normal or full",
                    null);
        }
        Path key = sqlite.getPath().toAbsolutePath().normalize();
        SqliteOutbox outbox = outboxes.get(key);
        if (outbox == null) {
            try {
                outbox = SqliteOutbox.open(key, OutboxConfig.builder()
                        .synchronousMode(sqlite.getSynchronousMode()).build());
            } catch (RuntimeException e) {
                throw new RelayConfigurationException(at + ".path", e.getMessage(),
                        "point it at an SQLite file this process can read and write", e);
            }
            outboxes.put(key, outbox);
        } else if (outbox.config().synchronousMode() != sqlite.getSynchronousMode()) {
            throw new RelayConfigurationException(at + ".synchronous-mode", sqlite.getSynchronousMode()
                    + " differs from " + outbox.config().synchronousMode() + " set for the same file",
                    "use one synchronous-mode per outbox file", null);
        }
        try {
            SqliteOffsetSource source = outbox.openSource(sqlite.getStream());
            opened.add(source);
            return source;
        } catch (IllegalArgumentException e) {
            throw new RelayConfigurationException(at + ".stream", e.getMessage(),
                    "use a name like tickets: [A-Za-z][A-Za-z0-9_]{0,63}", e);
        } catch (RuntimeException e) {
            throw new RelayConfigurationException(at + ".stream", e.getMessage(),
                    "make sure no other relay drains this stream of " + key, e);
        }
    }

    private static String requireStream(SnowpipeRelayProperties.Postgres postgres, String at) {
        if (postgres.getStream() == null || postgres.getStream().isBlank()) {
            throw new RelayConfigurationException(at + ".stream", "is missing",
                    "name the outbox stream the application appends to, e.g. orders", null);
        }
        return postgres.getStream();
    }

    private PostgresOutbox openOutbox(String name, PostgresOutboxConfig config, String property) {
        DataSource dataSource = beans.getBean(name, DataSource.class);
        PostgresOutbox outbox;
        try {
            outbox = PostgresOutbox.open(dataSource, config);
        } catch (RuntimeException e) {
            throw new RelayConfigurationException(property, "cannot open the outbox in DataSource '"
                    + name + "': " + e.getMessage(), "check the database, and that the role may create the"
                    + " outbox tables (docs/postgres-outbox.md)", e);
        }
        postgresOutboxes.put(name, outbox);
        if (beans instanceof ConfigurableBeanFactory cbf && relayBeanName != null) {
            // The relay is destroyed before the DataSource it reads.
            cbf.registerDependentBean(name, relayBeanName);
        }
        return outbox;
    }

    private OffsetSource postgresSource(SnowpipeRelayProperties.Postgres postgres, String at) {
        requireStream(postgres, at);
        if (postgres.getPartitions() != PostgresOutboxConfig.DEFAULT_PARTITIONS) {
            throw new RelayConfigurationException(at + ".partitions", postgres.getPartitions() + " partitions need"
                    + " a fleet (one channel per partition)", "set " + PREFIX + ".fleet.enabled=true, or "
                    + PostgresOutboxConfig.DEFAULT_PARTITIONS + " partition", null);
        }
        String name = dataSourceName(postgres.getDataSource(), at + ".data-source");
        PostgresOutbox outbox = postgresOutboxes.get(name);
        if (outbox == null) {
            outbox = openOutbox(name, PostgresOutboxConfig.defaults(), at + ".data-source");
        }
        try {
            PostgresOffsetSource source = outbox.openSource(postgres.getStream());
            opened.add(source);
            return source;
        } catch (IllegalArgumentException e) {
            throw new RelayConfigurationException(at + ".stream", e.getMessage(),
                    "use a name like orders: [A-Za-z][A-Za-z0-9_]{0,63}", e);
        } catch (RuntimeException e) {
            throw new RelayConfigurationException(at + ".stream", e.getMessage(),
                    "make sure no other relay drains this stream, and that the role has the outbox's grants", e);
        }
    }

    private String dataSourceName(String configured, String property) {
        if (configured != null && !configured.isBlank()) {
            if (!(beans instanceof ListableBeanFactory lbf) || !lbf.containsBean(configured)
                    || !lbf.isTypeMatch(configured, DataSource.class)) {
                throw new RelayConfigurationException(property, "no DataSource bean named '" + configured + "'",
                        "name one of the application's DataSource beans", null);
            }
            return configured;
        }
        String[] names = beans instanceof ListableBeanFactory lbf ? lbf.getBeanNamesForType(DataSource.class)
                : new String[0];
        if (names.length != 1) {
            throw new RelayConfigurationException(property, names.length == 0 ? "the application has no DataSource"
                    : "the application has " + names.length + " DataSources " + java.util.Arrays.toString(names),
                    names.length == 0 ? "configure spring.datasource.* for the application's PostgreSQL"
                            : "name the one that holds the outbox", null);
        }
        return names[0];
    }

    private OffsetSource beanSource(String name, String at) {
        if (name == null || name.isBlank()) {
            throw new RelayConfigurationException(at, "is missing", "name the application's OffsetSource bean",
                    null);
        }
        try {
            OffsetSource source = beans.getBean(name, OffsetSource.class);
            if (beans instanceof ConfigurableBeanFactory cbf && relayBeanName != null) {
                // The relay is destroyed before the source it reads.
                cbf.registerDependentBean(name, relayBeanName);
            }
            return source;
        } catch (BeansException e) {
            throw new RelayConfigurationException(at, "no OffsetSource bean named '" + name + "' ("
                    + e.getClass().getSimpleName() + ")", "declare it, or fix the name", e);
        }
    }

    private void closeOpened(RuntimeException failure) {
        List<AutoCloseable> all = new ArrayList<>(opened);
        all.addAll(outboxes.values());
        all.addAll(postgresOutboxes.values());
        for (AutoCloseable r : all) {
            try {
                r.close();
            } catch (Exception e) {
                failure.addSuppressed(e);
            }
        }
    }

    /** {@code maxBatchRows} to {@code max-batch-rows}. */
    static String kebab(String camel) {
        StringBuilder sb = new StringBuilder();
        for (char ch : camel.toCharArray()) {
            if (Character.isUpperCase(ch)) {
                sb.append('-').append(Character.toLowerCase(ch));
            } else {
                sb.append(ch);
            }
        }
        return sb.toString().toLowerCase(Locale.ROOT);
    }
}
