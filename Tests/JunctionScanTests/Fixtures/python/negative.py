import stripe

shipping = {"type": "express", "carrier": "ups"}
rate = stripe.ShippingRate.create(type="fixed_amount", display_name="Express")


def ship(order, delivery, payment_method, bank_account, plan):
    if order.shipping_method == "express":
        return 1
    if delivery.type == "express":
        return 2
    if payment_method.type == "card":
        return 3
    if bank_account.type == "custom":
        return 4
    if plan.type in ("standard", "custom"):
        return 5
    # account.type == "express" in a comment is not code
    text = "account.type == 'express'"
    return text


THEMES = ["standard", "custom"]
stripe.Customer.create(email="a@example.com", metadata={"type": "standard"})

order = {}
order["type"] = "express"
