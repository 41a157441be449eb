public enum CertificationPlaceholder {}
