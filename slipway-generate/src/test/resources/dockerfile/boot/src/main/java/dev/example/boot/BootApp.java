package dev.example.boot;

import org.springframework.boot.CommandLineRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Starts, says so with its arguments, and ends: enough to prove the image's entry point runs it. */
@SpringBootApplication
public class BootApp implements CommandLineRunner {
  public static void main(String[] args) {
    SpringApplication.run(BootApp.class, args);
  }

  @Override
  public void run(String... args) {
    System.out.println("boot-app-ran " + String.join(" ", args));
  }
}
