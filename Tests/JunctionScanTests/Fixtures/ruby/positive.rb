require 'stripe'

class ConnectService
  def create_express(email)
    Stripe::Account.create(type: 'express', country: 'US', email: email) # expect: creation express
  end

  def create_custom
    Stripe::Account.create({
      :type => 'custom', # expect: creation custom
      country: 'US',
      capabilities: { card_payments: { requested: true }, transfers: { requested: true } }
    })
  end

  def create_client(client)
    client.v1.accounts.create({ 'type' => 'standard' }) # expect: creation standard
  end

  def dashboard_link(account)
    if account.type == 'express' # expect: condition express
      Stripe::Account.create_login_link(account.id)
    end
  end

  def liable?(account)
    %w[express custom].include?(account.type) # expect: condition express,custom
  end

  def route(account)
    case account.type
    when 'custom' # expect: condition custom
      collect_requirements(account)
    when 'express', 'standard' # expect: condition standard,express
      nil
    end
  end

  def fixture_type(account)
    account[:type] != :standard # expect: condition standard
  end
end

def create_from_hash
  attrs = { country: 'US' }
  attrs[:type] = 'express' # expect: creation express
  Stripe::Account.create(attrs)
end

ACCOUNT_TYPES = %w[standard express custom].freeze # expect: data standard,express,custom
