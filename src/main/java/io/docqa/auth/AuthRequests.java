package io.docqa.auth;

import java.time.Instant;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Future;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** The bodies the account endpoints accept. Password upper bounds are checked against configuration in code. */
final class AuthRequests {

    private AuthRequests() {
    }

    record Signup(@NotBlank @Size(max = 200) String tenantName,
            @NotBlank @Email @Size(max = 254) String email,
            @NotNull @Size(min = 8, message = "must be at least 8 characters") String password) {

        @Override
        public String toString() {
            return "Signup[tenantName=" + tenantName + ", email=" + email + ", password=" + Secrets.HIDDEN + "]";
        }
    }

    record Login(@NotBlank @Size(max = 254) String email, @NotNull @Size(max = 4096) String password) {

        @Override
        public String toString() {
            return "Login[email=" + email + ", password=" + Secrets.HIDDEN + "]";
        }
    }

    record RefreshToken(@NotBlank @Size(max = 200) String refreshToken) {

        @Override
        public String toString() {
            return "RefreshToken[" + Secrets.HIDDEN + "]";
        }
    }

    record SsoCode(@NotBlank @Size(max = 200) String code) {

        @Override
        public String toString() {
            return "SsoCode[" + Secrets.HIDDEN + "]";
        }
    }

    record NewUser(@NotBlank @Email @Size(max = 254) String email,
            @NotNull @Size(min = 8, message = "must be at least 8 characters") String password,
            @NotNull @Pattern(regexp = "owner|admin|member|viewer", message = "must be one of owner, admin, member, viewer") String role) {

        @Override
        public String toString() {
            return "NewUser[email=" + email + ", password=" + Secrets.HIDDEN + ", role=" + role + "]";
        }
    }

    record UserChange(@Pattern(regexp = "owner|admin|member|viewer", message = "must be one of owner, admin, member, viewer") String role,
            Boolean disabled) {
    }

    record NewApiKey(@NotBlank @Size(max = 100) String name,
            @NotNull @Pattern(regexp = "admin|member|viewer", message = "must be one of admin, member, viewer") String role,
            @Future Instant expiresAt) {
    }
}
