// AgeKit: making a new X25519 key pair, spelled as age-keygen spells it.
import HashKit

/// Key generation.
public enum AgeKeys {
  /// A new identity and its recipient, as age-keygen prints them ("AGE-SECRET-KEY-1…", "age1…").
  public static func generate() throws -> (identity: String, recipient: String) {
    let secretKey = try X25519.generatePrivateKey()
    let publicKey = try X25519.publicKey(privateKey: secretKey)
    return (
      Bech32.encode(hrp: "age-secret-key-", data: secretKey).uppercased(),
      Bech32.encode(hrp: "age", data: publicKey)
    )
  }
}
