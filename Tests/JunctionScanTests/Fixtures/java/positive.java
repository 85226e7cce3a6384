import com.stripe.model.Account;
import com.stripe.param.AccountCreateParams;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

public class Connect {
  public Account createExpress(String email) throws Exception {
    AccountCreateParams params =
        AccountCreateParams.builder()
            .setType(AccountCreateParams.Type.EXPRESS) // expect: creation express
            .setCountry("US")
            .setEmail(email)
            .build();
    return Account.create(params);
  }

  public Account createStandard() throws Exception {
    AccountCreateParams params = new AccountCreateParams
        .Builder()
        .setType(AccountCreateParams.Type.STANDARD) // expect: creation standard
        .build();
    return Account.create(params);
  }

  public Account createCustom() throws Exception {
    Map<String, Object> params = new HashMap<>();
    params.put("type", "custom"); // expect: creation custom
    params.put("country", "US");
    return Account.create(params);
  }

  public boolean dashboard(Account account) {
    if ("express".equals(account.getType())) { // expect: condition express
      return createLoginLink(account);
    }
    if (account.getType().equals("custom")) { // expect: condition custom
      return collectRequirements(account);
    }
    return List.of("express", "custom").contains(account.getType()); // expect: condition express,custom
  }

  public int fee(Account connectedAccount) {
    switch (connectedAccount.getType()) {
      case "standard": // expect: condition standard
        return 0;
      default:
        return applicationFee();
    }
  }
}
