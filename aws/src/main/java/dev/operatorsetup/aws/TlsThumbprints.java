package dev.operatorsetup.aws;

import dev.operatorsetup.Loggers;
import dev.operatorsetup.OperatorSetupException;
import dev.operatorsetup.model.OidcIssuer;
import dev.operatorsetup.port.Thumbprints;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.HexFormat;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Thumbprints} from a TLS handshake with the issuer: the SHA-1 of the last certificate the
 * server presents, after normal validation of the chain and of the host name.
 */
final class TlsThumbprints implements Thumbprints {
  private static final Logger LOG = LoggerFactory.getLogger(Loggers.AWS);

  private final X509TrustManager trustManager;
  private final Duration timeout;
  private final CallCounter counter;

  /**
   * @param trustManager the certificates to trust; {@code null} for the JVM's default trust store
   * @param counter records each thumbprint as a {@code tls} read; may be {@code null}
   */
  TlsThumbprints(X509TrustManager trustManager, Duration timeout, CallCounter counter) {
    this.trustManager = trustManager;
    this.timeout = timeout;
    this.counter = counter;
  }

  @Override
  public String of(OidcIssuer issuer) {
    if (counter != null) {
      counter.record("tls", "GetCertificateChain");
    }
    String where = issuer.host() + ":" + issuer.port();
    Certificate[] chain = chain(issuer, where);
    if (chain.length == 0) {
      throw new OperatorSetupException(
          "OIDC issuer " + where + " presented no certificate. Fix: check the issuer URL.");
    }
    String thumbprint;
    try {
      thumbprint =
          HexFormat.of()
              .formatHex(
                  MessageDigest.getInstance("SHA-1").digest(chain[chain.length - 1].getEncoded()));
    } catch (GeneralSecurityException e) {
      throw new OperatorSetupException(
          "Could not hash the top certificate of OIDC issuer " + where + ".", e, false);
    }
    LOG.debug(
        "call=tls:GetCertificateChain issuer={} certificates={} thumbprint={}",
        where,
        chain.length,
        thumbprint);
    return thumbprint;
  }

  /** Returns the certificates the issuer presents in one TLS handshake, after validation. */
  private Certificate[] chain(OidcIssuer issuer, String where) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trustManager == null ? null : new TrustManager[] {trustManager}, null);
      try (Socket plain = new Socket()) {
        int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        plain.connect(new InetSocketAddress(issuer.host(), issuer.port()), millis);
        plain.setSoTimeout(millis);
        try (SSLSocket tls =
            (SSLSocket)
                context
                    .getSocketFactory()
                    .createSocket(plain, issuer.host(), issuer.port(), true)) {
          SSLParameters parameters = tls.getSSLParameters();
          parameters.setEndpointIdentificationAlgorithm("HTTPS");
          tls.setSSLParameters(parameters);
          tls.startHandshake();
          return tls.getSession().getPeerCertificates();
        }
      }
    } catch (SSLException e) {
      throw new OperatorSetupException(
          "The TLS certificate chain of OIDC issuer "
              + issuer
              + " did not pass validation ("
              + e.getMessage()
              + "). Fix: check the issuer URL; if the issuer uses a private CA, add that CA to"
              + " the trust store, or pass the thumbprint yourself.",
          e,
          false);
    } catch (IOException e) {
      throw new OperatorSetupException(
          "Could not open a TLS connection to OIDC issuer "
              + where
              + " to read its certificate chain ("
              + e
              + "). Fix: check the network and proxy, then run again.",
          e,
          true);
    } catch (GeneralSecurityException e) {
      throw new OperatorSetupException(
          "This JVM cannot make TLS connections (" + e.getMessage() + ").", e, false);
    }
  }
}
