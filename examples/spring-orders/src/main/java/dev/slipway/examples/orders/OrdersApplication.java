package dev.slipway.examples.orders;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The orders service: a small REST API on PostgreSQL, configured the Spring Boot way (see README.md). */
@SpringBootApplication
@ConfigurationPropertiesScan
public class OrdersApplication {

  public static void main(String[] args) {
    SpringApplication.run(OrdersApplication.class, args);
  }
}
