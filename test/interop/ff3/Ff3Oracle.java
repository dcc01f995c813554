// Oracle for test/interop/ff3: runs the real Mysto FF3Cipher 1.2.0 the way Kryptonite 0.7.0 calls it
// (tweak = the configured string's UTF-8 bytes). One request per stdin line, one answer per stdout line.
//
//   enc|dec <keyHex> <tweakU16Hex> <alphabetU16Hex> <valueU16Hex>  ->  OK <resultU16Hex> | ERR <message>
//   bounds <radix>                                                 ->  OK <minLen> <maxLen> | ERR <message>
//
// Strings travel as hex of their UTF-16 units so that any character, even an unpaired surrogate, survives.

import com.privacylogistics.FF3Cipher;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

public final class Ff3Oracle {
    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.US_ASCII);
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isEmpty()) continue;
            try {
                out.println("OK " + answer(line.split(" ", -1)));
            } catch (Exception e) {
                out.println("ERR " + e.getClass().getSimpleName() + ": " + String.valueOf(e.getMessage()).replace('\n', ' '));
            }
        }
        out.flush();
    }

    private static String answer(String[] f) throws Exception {
        switch (f[0]) {
            case "bounds": {
                int radix = Integer.parseInt(f[1]);
                StringBuilder alphabet = new StringBuilder();
                for (int i = 0; i < radix; i++) alphabet.append((char) (0x100 + i));
                FF3Cipher c = new FF3Cipher(new byte[16], new byte[7], alphabet.toString());
                return c.getMinMessageLength() + " " + c.getMaxMessageLength();
            }
            case "enc":
            case "dec": {
                byte[] key = FF3Cipher.hexStringToByteArray(f[1]);
                byte[] tweak = fromU16Hex(f[2]).getBytes(StandardCharsets.UTF_8);
                FF3Cipher c = new FF3Cipher(key, tweak, fromU16Hex(f[3]));
                String value = fromU16Hex(f[4]);
                return toU16Hex("enc".equals(f[0]) ? c.encrypt(value, tweak) : c.decrypt(value, tweak));
            }
            default:
                throw new IllegalArgumentException("unknown request " + f[0]);
        }
    }

    private static String fromU16Hex(String hex) {
        StringBuilder s = new StringBuilder(hex.length() / 4);
        for (int i = 0; i < hex.length(); i += 4) s.append((char) Integer.parseInt(hex.substring(i, i + 4), 16));
        return s.toString();
    }

    private static String toU16Hex(String s) {
        StringBuilder hex = new StringBuilder(s.length() * 4);
        for (int i = 0; i < s.length(); i++) hex.append(String.format("%04x", (int) s.charAt(i)));
        return hex.toString();
    }
}
