// A real OpenID Connect provider for the single sign-on tests: panva's oidc-provider with its
// development login page, where any address typed as the login signs in as that address (the
// tests type the people they need). Listens on 127.0.0.1 only; prints "ready <issuer>" once
// it accepts connections. Configuration from the environment:
//   PORT, CLIENT_ID, CLIENT_SECRET, REDIRECT_URIS (comma-separated).
import Provider from "oidc-provider";

const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: process.env.CLIENT_ID,
      client_secret: process.env.CLIENT_SECRET,
      redirect_uris: process.env.REDIRECT_URIS.split(","),
      response_types: ["code"],
      grant_types: ["authorization_code"],
      token_endpoint_auth_method: "client_secret_post",
    },
  ],
  claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
  async findAccount(_ctx, id) {
    return {
      accountId: id,
      async claims() {
        return { sub: id, email: id, email_verified: true, name: id.split("@")[0] };
      },
    };
  },
  features: { devInteractions: { enabled: true } },
  cookies: { keys: ["reflect-tests-only"] },
});
provider.proxy = false;

provider.listen(port, "127.0.0.1", () => {
  console.log(`ready ${issuer}`);
});
