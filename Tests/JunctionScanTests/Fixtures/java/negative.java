public class Shipping {
  public int cost(Order order, PaymentMethod method) {
    if ("express".equals(order.getShippingMethod())) {
      return 2;
    }
    if (method.getType().equals("card")) {
      return 1;
    }
    Map<String, Object> rate = new HashMap<>();
    rate.put("type", "express");
    rate.put("carrier", "ups");
    return 0;
  }
}
