//! Closed lists of the domain. Each value has a stable code (stored in the database and used in
//! the API) and a message id (`<prefix>-<code>`) for its French and English label.

use serde::{Deserialize, Serialize};

macro_rules! coded_enum {
    (
        $(#[$meta:meta])*
        $name:ident, $prefix:literal, $error:literal {
            $( $(#[$vmeta:meta])* $variant:ident = $code:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $( $(#[$vmeta])* $variant ),+
        }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// The stable code, as stored and as the API speaks it.
            pub fn code(self) -> &'static str {
                match self { $(Self::$variant => $code),+ }
            }

            /// The message id of the value's label.
            pub fn message_id(self) -> &'static str {
                match self { $(Self::$variant => concat!($prefix, "-", $code)),+ }
            }

            /// Reads a stable code.
            pub fn parse(raw: &str) -> Result<Self, $crate::Invalid> {
                match raw.trim() {
                    $($code => Ok(Self::$variant),)+
                    _ => Err($crate::Invalid::new($error)),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        }
    };
}

coded_enum! {
    /// What an account may do. Each role includes nothing of the others: permissions are
    /// decided per action in the web layer from the role and, for referents, their territory.
    Role, "role", "error-choice-invalid" {
        /// Runs the instance: accounts, everything an organiser does.
        Admin = "admin",
        /// Sets up programmes and sessions, selects territories, curates the référentiel.
        Organiser = "organiser",
        /// Runs sequences of workshop days.
        Facilitator = "facilitator",
        /// Edits their own territory's application and delegation, nothing else.
        Referent = "referent",
        /// A member of a territory's delegation.
        Delegate = "delegate",
        /// Reads budgets, attendance evidence and outcomes.
        Funder = "funder",
    }
}

impl Role {
    /// Organisers and admins manage the programme's records.
    pub fn manages(self) -> bool {
        matches!(self, Self::Admin | Self::Organiser)
    }
}

coded_enum! {
    /// The kinds of organisations a programme deals with.
    OrganisationKind, "organisation-kind", "error-choice-invalid" {
        /// Carries the programme (the institute).
        Institute = "institute",
        /// A research or intervention lab.
        ResearchLab = "research_lab",
        /// A public or private funder.
        Funder = "funder",
        /// A partner organisation (chamber of commerce, CAUE, land agency…).
        Partner = "partner",
        /// A thematic network engaged in the transition.
        ThematicNetwork = "thematic_network",
        /// A local authority (town hall, intercommunality…).
        LocalAuthority = "local_authority",
        /// A company.
        Company = "company",
        /// An association or citizen collective.
        Association = "association",
    }
}

coded_enum! {
    /// The kinds of territories.
    TerritoryKind, "territory-kind", "error-choice-invalid" {
        /// A commune (INSEE code).
        Commune = "commune",
        /// An intercommunality (SIREN).
        Epci = "epci",
        /// A département.
        Departement = "departement",
        /// A région.
        Region = "region",
        /// A project territory without official boundaries (a "large territory", a valley…).
        ProjectTerritory = "project_territory",
        /// A territory whose transition is carried by a citizen or entrepreneur collective.
        Collective = "collective",
    }
}

coded_enum! {
    /// How long a territory has been engaged in the transition.
    Experience, "experience", "error-choice-invalid" {
        /// A pioneer town, which other territories learn from.
        Pioneer = "pioneer",
        /// Already experienced in transition approaches.
        Experienced = "experienced",
        /// Newly engaged.
        NewlyEngaged = "newly_engaged",
    }
}

coded_enum! {
    /// Who carries a territory's transition.
    CarriedBy, "carried-by", "error-choice-invalid" {
        /// The local authority.
        LocalAuthority = "local_authority",
        /// Citizen collectives.
        Citizens = "citizens",
        /// Entrepreneurs.
        Entrepreneurs = "entrepreneurs",
    }
}

coded_enum! {
    /// The role of a territory in a session.
    CohortRole, "cohort-role", "error-choice-invalid" {
        /// The pioneer town that founded the community.
        Pioneer = "pioneer",
        /// A peer town from an earlier session, which helps the transfer.
        Peer = "peer",
        /// A participating territory of this session.
        Participant = "participant",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for kind in TerritoryKind::ALL {
            assert_eq!(TerritoryKind::parse(kind.code()).unwrap(), *kind);
        }
        assert_eq!(Experience::NewlyEngaged.message_id(), "experience-newly_engaged");
        assert!(Role::parse("emperor").is_err());
    }
}
