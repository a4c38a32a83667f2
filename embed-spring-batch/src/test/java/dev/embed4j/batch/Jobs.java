package dev.embed4j.batch;

import java.util.List;
import javax.sql.DataSource;
import org.springframework.batch.core.configuration.support.MapJobRegistry;
import org.springframework.batch.core.launch.support.TaskExecutorJobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.repository.support.JdbcJobRepositoryFactoryBean;
import org.springframework.batch.infrastructure.item.support.AbstractItemCountingItemStreamItemReader;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabase;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabaseBuilder;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabaseType;
import org.springframework.jdbc.support.JdbcTransactionManager;

/** A real JDBC job repository on H2 and a job operator, as an application would have them. */
final class Jobs implements AutoCloseable {
  final EmbeddedDatabase dataSource;
  final JdbcTransactionManager transactionManager;
  final JobRepository repository;
  final TaskExecutorJobOperator operator;
  final MapJobRegistry registry = new MapJobRegistry();

  Jobs() throws Exception {
    dataSource =
        new EmbeddedDatabaseBuilder()
            .setType(EmbeddedDatabaseType.H2)
            .generateUniqueName(true)
            .addScript("/org/springframework/batch/core/schema-h2.sql")
            .build();
    transactionManager = new JdbcTransactionManager(dataSource);
    JdbcJobRepositoryFactoryBean factory = new JdbcJobRepositoryFactoryBean();
    factory.setDataSource((DataSource) dataSource);
    factory.setTransactionManager(transactionManager);
    factory.afterPropertiesSet();
    repository = factory.getObject();
    operator = new TaskExecutorJobOperator();
    operator.setJobRepository(repository);
    operator.setJobRegistry(registry);
    operator.afterPropertiesSet();
  }

  @Override
  public void close() {
    dataSource.shutdown();
  }

  /** A restartable reader over a list: its position is saved with each chunk's commit. */
  static final class ListReader<T> extends AbstractItemCountingItemStreamItemReader<T> {
    private final List<T> items;

    ListReader(List<T> items) {
      this.items = items;
      setName("list");
    }

    @Override
    protected T doRead() {
      int i = getCurrentItemCount() - 1;
      return i < items.size() ? items.get(i) : null;
    }

    @Override
    protected void doOpen() {}

    @Override
    protected void doClose() {}
  }
}
