package dev.slipway.examples.orders;

import java.net.URI;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** {@code /orders}: place an order, read one, list the latest. */
@RestController
@RequestMapping("/orders")
public class OrderController {

  static final int LATEST = 20;
  private final OrderRepository orders;

  OrderController(OrderRepository orders) {
    this.orders = orders;
  }

  @PostMapping
  ResponseEntity<Order> place(@RequestBody NewOrder order) {
    List<String> problems = order.problems();
    if (!problems.isEmpty()) {
      throw new ResponseStatusException(HttpStatus.BAD_REQUEST, String.join("; ", problems));
    }
    Order stored = orders.insert(order.item().strip(), order.quantity());
    return ResponseEntity.created(URI.create("/orders/" + stored.id())).body(stored);
  }

  @GetMapping("/{id}")
  Order get(@PathVariable long id) {
    return orders.find(id)
        .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no order " + id));
  }

  @GetMapping
  List<Order> latest() {
    return orders.latest(LATEST);
  }
}
