CREATE TABLE "median_days" (
	"indicator_id" text NOT NULL,
	"period" text NOT NULL,
	"province_code" text NOT NULL,
	"programme" text NOT NULL,
	"idpoor" text NOT NULL,
	"days" integer NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "median_days_period_province_code_indicator_id_programme_idpoor_days_pk" PRIMARY KEY("period","province_code","indicator_id","programme","idpoor","days")
);
--> statement-breakpoint
CREATE TABLE "median_days_periods" (
	"period" text PRIMARY KEY NOT NULL
);
