import { randomInt } from "node:crypto";

// Docker-style "adjective_surname" container names. Our own word lists.
const ADJECTIVES = [
  "agile", "amazing", "bold", "brave", "bright", "busy", "calm", "charming", "clever", "cool",
  "crazy", "dazzling", "eager", "elated", "elegant", "epic", "fervent", "festive", "focused", "friendly",
  "funny", "gallant", "gentle", "gifted", "happy", "hopeful", "humble", "inspiring", "jolly", "keen",
  "kind", "laughing", "lucid", "magical", "mellow", "merry", "modest", "nervous", "nice", "nifty",
  "nostalgic", "optimistic", "patient", "peaceful", "pensive", "practical", "priceless", "quirky", "relaxed", "serene",
  "sharp", "silly", "sleepy", "stoic", "sweet", "tender", "trusting", "upbeat", "vibrant", "vigilant",
  "wizardly", "wonderful", "xenodochial", "youthful", "zealous", "zen",
];
const SURNAMES = [
  "agnesi", "albattani", "archimedes", "babbage", "banach", "bardeen", "bell", "bhabha", "bohr", "boole",
  "bose", "cannon", "carson", "cerf", "chandrasekhar", "curie", "darwin", "dijkstra", "einstein", "euclid",
  "euler", "faraday", "fermat", "fermi", "feynman", "franklin", "galileo", "gauss", "goldberg", "goodall",
  "hamilton", "hawking", "heisenberg", "hopper", "hypatia", "johnson", "kepler", "khorana", "knuth", "kowalevski",
  "lamarr", "leakey", "lovelace", "lumiere", "margulis", "maxwell", "mayer", "mclean", "meitner", "mendel",
  "mirzakhani", "morse", "napier", "newton", "nobel", "noether", "pascal", "pasteur", "perlman", "planck",
  "poincare", "raman", "ramanujan", "ride", "ritchie", "sammet", "shannon", "shockley", "sinoussi", "swanson",
  "tesla", "thompson", "torvalds", "turing", "volhard", "wescoff", "wiles", "williams", "wilson", "wright",
  "yalow", "yonath",
];

export function randomName(): string {
  return `${ADJECTIVES[randomInt(ADJECTIVES.length)]}_${SURNAMES[randomInt(SURNAMES.length)]}`;
}

/** Docker's rule for user-chosen container names. */
export const VALID_NAME = /^\/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;
