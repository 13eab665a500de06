# Reference estimates for tests/test_estimate_reference.py, from R (Debian: r-base-core,
# r-cran-lme4, r-cran-psych; never a dependency of the package). Run from the repository root:
#   Rscript tests/data/reference_estimates.R
# It writes tests/data/lme4_reference.csv (variance components, fixed effects, REML criterion),
# tests/data/lme4_raters.csv (each rater's conditional mode and conditional SD) and
# tests/data/psych_icc.csv (the six Shrout-Fleiss ICCs of tests/data/icc_block.csv), with the
# versions used in tests/data/reference_versions.txt.
suppressMessages({library(lme4); library(psych)})
d <- read.csv("data/examples/penilaian_perilaku_sintetis.csv", colClasses = c(nip = "character", nip_penilai = "character"))
d$nip <- factor(d$nip); d$nip_penilai <- factor(d$nip_penilai); d$dimensi <- factor(d$dimensi)
m <- lmer(nilai ~ dimensi + (1 | nip) + (1 | nip_penilai), data = d, REML = TRUE,
          control = lmerControl(optimizer = "bobyqa", optCtrl = list(rhobeg = 2e-3, rhoend = 2e-10)))
vc <- as.data.frame(VarCorr(m))
fe <- fixef(m)
out <- rbind(
  data.frame(term = paste0("var_", vc$grp), value = vc$vcov),
  data.frame(term = paste0("fixef_", names(fe)), value = unname(fe)),
  data.frame(term = "REMLcrit", value = REMLcrit(m)))
write.csv(out, "tests/data/lme4_reference.csv", row.names = FALSE)
re <- ranef(m, condVar = TRUE)$nip_penilai
sds <- sqrt(attr(re, "postVar")[1, 1, ])
write.csv(data.frame(nip_penilai = rownames(re), mode = re[, 1], cond_sd = sds),
          "tests/data/lme4_raters.csv", row.names = FALSE)
b <- read.csv("tests/data/icc_block.csv")
wide <- reshape(b, idvar = "employee_id", timevar = "rater_id", direction = "wide")
icc <- ICC(as.matrix(wide[, -1]), lmer = FALSE)$results
write.csv(data.frame(type = icc$type, icc = icc$ICC), "tests/data/psych_icc.csv", row.names = FALSE)
writeLines(c(R.version.string, paste("lme4", packageVersion("lme4")), paste("psych", packageVersion("psych"))),
           "tests/data/reference_versions.txt")
